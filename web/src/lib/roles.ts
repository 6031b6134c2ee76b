import type { Role } from '../api/client';

/** Roles as people read them. */
export const kRoleNames: Record<Role, string> = {
  learner: 'Learner',
  instructor: 'Instructor',
  admin: 'Administrator',
};
