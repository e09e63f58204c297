// GET /root: API information, also the health check.
import { API_PREFIXES } from '../common/operations';

export const rootInfo = (path: string) => {
  const version = API_PREFIXES.find((v) => path.startsWith(`/obp/${v}/`)) ?? API_PREFIXES[API_PREFIXES.length - 1];
  return {
    version,
    version_status: 'STABLE',
    git_commit: process.env.GIT_COMMIT ?? '',
    connector: 'dynamodb',
    hostname: '',
    api_name: 'obp-person-api',
    description: 'Open Bank Project compatible customer and customer-messaging API on AWS serverless',
    hosted_by: { organisation: '', email: '', phone: '', organisation_website: '' },
  };
};
