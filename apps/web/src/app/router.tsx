import { createBrowserRouter, Navigate, Outlet, type RouteObject } from 'react-router';
import { RequireAdminInConsole, RequireStaff, RequireUser } from '../auth/guards.tsx';
import { CustomerChat } from '../chat/CustomerChat.tsx';
import { AdminHome, AdminLayout } from '../layouts/AdminLayout.tsx';
import { MyPageLayout } from '../layouts/MyPageLayout.tsx';
import { ShopLayout } from '../layouts/ShopLayout.tsx';
import { AgentConsolePage } from '../pages/admin/AgentConsolePage.tsx';
import { CannedAnswersPage } from '../pages/admin/CannedAnswersPage.tsx';
import { CategoriesPage } from '../pages/admin/CategoriesPage.tsx';
import { ClaimsPage } from '../pages/admin/ClaimsPage.tsx';
import { CouponFormPage } from '../pages/admin/CouponFormPage.tsx';
import { CouponsPage } from '../pages/admin/CouponsPage.tsx';
import { DashboardPage } from '../pages/admin/DashboardPage.tsx';
import { OrderDetailPage } from '../pages/admin/OrderDetailPage.tsx';
import { OrdersPage } from '../pages/admin/OrdersPage.tsx';
import { PaymentsPage } from '../pages/admin/PaymentsPage.tsx';
import { PlatformPage } from '../pages/admin/PlatformPage.tsx';
import { PoliciesPage } from '../pages/admin/PoliciesPage.tsx';
import { PolicyFormPage } from '../pages/admin/PolicyFormPage.tsx';
import { ProductFormPage } from '../pages/admin/ProductFormPage.tsx';
import { ProductsPage } from '../pages/admin/ProductsPage.tsx';
import { ShipmentsPage } from '../pages/admin/ShipmentsPage.tsx';
import { TracePage } from '../pages/admin/TracePage.tsx';
import { TracesPage } from '../pages/admin/TracesPage.tsx';
import { UserDetailPage } from '../pages/admin/UserDetailPage.tsx';
import { UsersPage } from '../pages/admin/UsersPage.tsx';
import { LoginPage } from '../pages/auth/LoginPage.tsx';
import { SignupPage } from '../pages/auth/SignupPage.tsx';
import { CheckoutPage } from '../pages/checkout/CheckoutPage.tsx';
import { ChargeFailPage, ChargeSuccessPage } from '../pages/me/ChargeResultPage.tsx';
import { MyCouponsPage } from '../pages/me/MyCouponsPage.tsx';
import { MyOrderDetailPage } from '../pages/me/MyOrderDetailPage.tsx';
import { MyOrdersPage } from '../pages/me/MyOrdersPage.tsx';
import { PointsPage } from '../pages/me/PointsPage.tsx';
import { ProfilePage } from '../pages/me/ProfilePage.tsx';
import { NotFoundPage } from '../pages/NotFoundPage.tsx';
import { PaymentFailPage } from '../pages/payment/PaymentFailPage.tsx';
import { PaymentSuccessPage } from '../pages/payment/PaymentSuccessPage.tsx';
import { RouteErrorPage } from '../pages/RouteErrorPage.tsx';
import { CartPage } from '../pages/shop/CartPage.tsx';
import { HomePage } from '../pages/shop/HomePage.tsx';
import { ProductDetailPage } from '../pages/shop/ProductDetailPage.tsx';
import { ProductListPage } from '../pages/shop/ProductListPage.tsx';

export function createAppRouter() {
  return createBrowserRouter([
    {
      errorElement: <RouteErrorPage />,
      // The customer's chat button and panel, over every page (it hides itself in the admin console).
      element: (
        <>
          <Outlet />
          <CustomerChat />
        </>
      ),
      children: [
        {
          element: <ShopLayout />,
          children: [
            { index: true, element: <HomePage /> },
            { path: 'login', element: <LoginPage /> },
            { path: 'signup', element: <SignupPage /> },
            { path: 'products', element: <ProductListPage /> },
            { path: 'products/:id', element: <ProductDetailPage /> },
            { path: 'cart', element: <CartPage /> },
            { path: '*', element: <NotFoundPage /> },
          ],
        },
        {
          // Checkout and the PG's return pages: the shop's look, for signed-in shoppers only.
          element: <RequireUser />,
          children: [
            {
              element: <ShopLayout />,
              children: [
                { path: 'checkout', element: <CheckoutPage /> },
                { path: 'payment/success', element: <PaymentSuccessPage /> },
                { path: 'payment/fail', element: <PaymentFailPage /> },
              ],
            },
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
                { path: 'points/charge/success', element: <ChargeSuccessPage /> },
                { path: 'points/charge/fail', element: <ChargeFailPage /> },
                { path: 'orders', element: <MyOrdersPage /> },
                { path: 'orders/:id', element: <MyOrderDetailPage /> },
                { path: 'coupons', element: <MyCouponsPage /> },
              ],
            },
          ],
        },
        {
          path: 'admin',
          element: <RequireStaff />,
          children: [
            {
              element: <AdminLayout />,
              children: [
                { index: true, element: <AdminHome /> },
                // Agents and admins: the help desk.
                { path: 'chat', element: <AgentConsolePage /> },
                { path: 'chat-answers', element: <CannedAnswersPage /> },
                // Admins only: an agent gets a 403 here.
                { element: <RequireAdminInConsole />, children: ADMIN_ONLY_ROUTES },
              ],
            },
          ],
        },
      ],
    },
  ]);
}

const ADMIN_ONLY_ROUTES: RouteObject[] = [
  { path: 'dashboard', element: <DashboardPage /> },
  { path: 'platform', element: <PlatformPage /> },
  { path: 'traces', element: <TracesPage /> },
  { path: 'traces/:traceId', element: <TracePage /> },
  { path: 'users', element: <UsersPage /> },
  { path: 'users/:id', element: <UserDetailPage /> },
  { path: 'orders', element: <OrdersPage /> },
  { path: 'orders/:id', element: <OrderDetailPage /> },
  { path: 'payments', element: <PaymentsPage /> },
  { path: 'shipping', element: <ShipmentsPage /> },
  // Keyed by type, so switching queues starts each with its own state.
  { path: 'returns', element: <ClaimsPage key="RETURN" type="RETURN" /> },
  { path: 'exchanges', element: <ClaimsPage key="EXCHANGE" type="EXCHANGE" /> },
  { path: 'coupons', element: <CouponsPage /> },
  { path: 'coupons/new', element: <CouponFormPage /> },
  { path: 'coupons/:id', element: <CouponFormPage /> },
  { path: 'policies', element: <PoliciesPage /> },
  { path: 'policies/new', element: <PolicyFormPage /> },
  { path: 'policies/:id', element: <PolicyFormPage /> },
  { path: 'products', element: <ProductsPage /> },
  { path: 'products/new', element: <ProductFormPage /> },
  { path: 'products/:id', element: <ProductFormPage /> },
  { path: 'categories', element: <CategoriesPage /> },
];

export type AppRouter = ReturnType<typeof createAppRouter>;
