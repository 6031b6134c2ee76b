// The authoring pages, loaded together on first use (App.tsx): the authoring API's methods, the
// editors and their stylesheet never reach a learner's download.

import type { ApiClient, User } from '../../api/client';
import { createAuthoringApi, type AuthoringApi } from '../../api/authoring';
import { AuthoringCoursesPage } from './AuthoringCoursesPage';
import { CourseEditorPage } from './CourseEditorPage';
import { ExerciseEditorPage } from './ExerciseEditorPage';
import { LessonEditorPage } from './LessonEditorPage';

const apis = new WeakMap<ApiClient, AuthoringApi>();

/** One authoring API per client, shared by the pages. */
function authoringApi(client: ApiClient): AuthoringApi {
  let api = apis.get(client);
  if (!api) {
    api = createAuthoringApi(client);
    apis.set(client, api);
  }
  return api;
}

export type AuthoringPage = 'courses' | 'course' | 'lesson' | 'exercise';

export interface AuthoringRouteProps {
  page: AuthoringPage;
  client: ApiClient;
  user: User;
  /** The route's parameters: course, lesson, exercise. */
  params: Record<string, string>;
}

/** The authoring page `page`, given the client and the route's parameters. */
export default function AuthoringRoute({ page, client, user, params }: AuthoringRouteProps) {
  const api = authoringApi(client);
  const course = params.course ?? '';
  switch (page) {
    case 'courses':
      return <AuthoringCoursesPage api={api} user={user} />;
    case 'course':
      return <CourseEditorPage api={api} course={course} user={user} />;
    case 'lesson':
      return (
        <LessonEditorPage api={api} course={course} lesson={params.lesson ?? ''} user={user} />
      );
    case 'exercise':
      return (
        <ExerciseEditorPage
          api={api}
          session={client.session}
          user={user}
          course={course}
          exercise={params.exercise}
          lesson={params.exercise === undefined ? params.lesson : undefined}
        />
      );
  }
}
