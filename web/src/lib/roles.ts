import type { Role } from '../api/client';

/** Roles as people read them. */
export const kRoleNames: Record<Role, string> = {
  learner: 'Learner',
  instructor: 'Instructor',
  admin: 'Administrator',
};

/** Instructors and admins: they see the analytics of every course. */
export function isStaff(role: Role): boolean {
  return role === 'instructor' || role === 'admin';
}
