// Every request gets event.context.session; it is saved before the response
// goes out (sendRedirect() included), with Set-Cookie and Vary: Cookie.
import { sessions } from '../utils/sessions';

export default defineEventHandler(sessions.middleware);
