import type { Wording } from '../wording.ts';

// The admin's words for the member list, a member's page and their access: Korean first (the source of truth), English the same keys.
export const adminUsersKo = {
  list: {
    title: '회원',
    count: '{{total}}명',
    countOne: '{{total}}명',
    pages: '회원 목록 페이지',
    table: '회원 목록',
    empty: '조건에 맞는 회원이 없습니다.',
    column: {
      email: '이메일',
      name: '이름',
      phone: '휴대폰 번호',
      role: '권한',
      status: '상태',
      grade: '등급',
      joined: '가입일',
    },
  },
  filters: {
    status: '상태',
    allStatuses: '전체',
    grade: '등급',
    allGrades: '전체',
    sort: '정렬',
    size: '페이지당 표시 수',
    region: '회원 검색',
    searchPlaceholder: '이메일 또는 이름',
    sortBy: {
      newest: '최근 가입순',
      oldest: '오래된 가입순',
      email: '이메일순',
      name: '이름순',
    },
  },
  detail: {
    back: '← 회원 목록으로',
    userId: '회원 ID',
    phone: '휴대폰 번호',
    joined: '가입일',
  },
  access: {
    title: '계정 관리',
    saveFailed: '회원 정보를 변경하지 못했습니다',
    ownAccount: '본인 계정입니다. 상태와 권한은 다른 관리자만 변경할 수 있습니다.',
    status: '상태',
    grade: '등급',
    role: '권한',
    suspendWarning: '정지된 회원은 로그인할 수 없으며, 현재 로그인은 다음 토큰 갱신 때 끝납니다.',
    discard: '변경 취소',
    saved: '{{email}} 회원 정보를 변경했습니다.',
  },
} as const;

export const adminUsersEn: Wording<typeof adminUsersKo> = {
  list: {
    title: 'Users',
    count: '{{total}} users',
    countOne: '{{total}} user',
    pages: 'User list pages',
    table: 'Users',
    empty: 'No users match these filters.',
    column: {
      email: 'Email',
      name: 'Name',
      phone: 'Phone',
      role: 'Role',
      status: 'Status',
      grade: 'Grade',
      joined: 'Joined',
    },
  },
  filters: {
    status: 'Status',
    allStatuses: 'All statuses',
    grade: 'Grade',
    allGrades: 'All grades',
    sort: 'Sort',
    size: 'Rows per page',
    region: 'Search users',
    searchPlaceholder: 'Email or name',
    sortBy: {
      newest: 'Newest first',
      oldest: 'Oldest first',
      email: 'Email A–Z',
      name: 'Name A–Z',
    },
  },
  detail: {
    back: '← Back to users',
    userId: 'User ID',
    phone: 'Phone',
    joined: 'Joined',
  },
  access: {
    title: 'Account access',
    saveFailed: 'Could not update the user',
    ownAccount: 'This is your own account: status and role can only be changed by another admin.',
    status: 'Status',
    grade: 'Grade',
    role: 'Role',
    suspendWarning:
      'A suspended user cannot log in, and their current session ends at its next token refresh.',
    discard: 'Discard changes',
    saved: '{{email}} updated.',
  },
};
