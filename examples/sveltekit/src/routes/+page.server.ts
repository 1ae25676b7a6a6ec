import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
  const visits = locals.session.get('visits', 0) + 1;
  locals.session.set('visits', visits);
  return { visits };
};
