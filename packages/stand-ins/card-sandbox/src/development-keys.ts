// The sandbox's development credentials: public, for `npm run dev` and tests only. A production provider's keys come
// from the deployment's secret store.
export const developmentApiKey = 'sandbox-api-key';
export const developmentWebhookSecret = 'whsec_Y2FyZGdhdGUtZGV2ZWxvcG1lbnQtd2ViaG9vay1zZWNyZXQ=';
