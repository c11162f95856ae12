import { createBrowserRouter, Navigate } from 'react-router';
import { RequireAdmin, RequireUser } from '../auth/guards.tsx';
import { AdminLayout } from '../layouts/AdminLayout.tsx';
import { MyPageLayout } from '../layouts/MyPageLayout.tsx';
import { ShopLayout } from '../layouts/ShopLayout.tsx';
import { PlatformPage } from '../pages/admin/PlatformPage.tsx';
import { UserDetailPage } from '../pages/admin/UserDetailPage.tsx';
import { UsersPage } from '../pages/admin/UsersPage.tsx';
import { LoginPage } from '../pages/auth/LoginPage.tsx';
import { SignupPage } from '../pages/auth/SignupPage.tsx';
import { ComingSoonPage } from '../pages/ComingSoonPage.tsx';
import { PointsPage } from '../pages/me/PointsPage.tsx';
import { ProfilePage } from '../pages/me/ProfilePage.tsx';
import { NotFoundPage } from '../pages/NotFoundPage.tsx';
import { RouteErrorPage } from '../pages/RouteErrorPage.tsx';
import { HomePage } from '../pages/shop/HomePage.tsx';

export function createAppRouter() {
  return createBrowserRouter([
    {
      errorElement: <RouteErrorPage />,
      children: [
        {
          element: <ShopLayout />,
          children: [
            { index: true, element: <HomePage /> },
            { path: 'login', element: <LoginPage /> },
            { path: 'signup', element: <SignupPage /> },
            { path: 'cart', element: <ComingSoonPage title="Cart" /> },
            { path: '*', element: <NotFoundPage /> },
          ],
        },
        {
          path: 'me',
          element: <RequireUser />,
          children: [
            {
              element: <MyPageLayout />,
              children: [
                { index: true, element: <Navigate to="profile" replace /> },
                { path: 'profile', element: <ProfilePage /> },
                { path: 'points', element: <PointsPage /> },
              ],
            },
          ],
        },
        {
          path: 'admin',
          element: <RequireAdmin />,
          children: [
            {
              element: <AdminLayout />,
              children: [
                { index: true, element: <Navigate to="platform" replace /> },
                { path: 'platform', element: <PlatformPage /> },
                { path: 'users', element: <UsersPage /> },
                { path: 'users/:id', element: <UserDetailPage /> },
              ],
            },
          ],
        },
      ],
    },
  ]);
}

export type AppRouter = ReturnType<typeof createAppRouter>;
