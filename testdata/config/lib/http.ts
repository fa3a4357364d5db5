import https from "node:https";

export const legacyAgent = new https.Agent({ rejectUnauthorized: false });
export const agent = new https.Agent({ rejectUnauthorized: true, keepAlive: true });
