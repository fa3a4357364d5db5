export const GetUserAccessTokenDocument = "getUserAccessTokenQueryDocumentNode";
export const RefreshTokenMutation = { kind: "Document", definitions: [], tokenName: "refreshSessionTokenMutation" };
export const passwordResetTokenField = "passwordResetTokenExpiresAt";
export const secretManagerPath = "projects/acme-shop/secrets/stripe-live-key/versions/latest";
