// References, patterns and identifiers that only look like secrets.
export const tokenRegex = /^[A-Za-z0-9_-]{20,}$/;
export const apiKey = process.env.NEXT_PUBLIC_API_KEY ?? "";
export const stripeKey = import.meta.env.VITE_STRIPE_SECRET_KEY;
export const secretName = "projects/acme/secrets/openai-api-key/versions/latest";
export const passwordPolicy = { minLength: 12, requireSymbols: true };
export const avatar = "data:image/png;base64,TlfIXYXy23reO2iX7b6aICcBxr6LhhGfwyE01LSzYNgCG9aiiNzAPvy6o//vBLlFFsbgQYQKzCbVFmfSp35TxfaKvT7tLaFkeROgi7I2hgA3Wro9gD7laR7CIde9WOSN+kS/Mk0LLKX9D+O44TJ0KiFFDrr0WsDMWqA3tAJqgwySDb1cPhZ7TuRpmnUF4C5mwrVERmMHmF7K4yuYTS10XIxZqKRP4S4H9m8vpp8rCkvW4ScMyFhMdgc6hKHOt7eY1c0f5cuNp+k4DccgweTS7jDdq4yxmeGw0KiQ0X9PdtSJWcIomsQjcvwUMUxvx7OzMFQt9hmPLUcmOhy4TcShfi6j8nhzcqtnxiz/0moEbL8/XgpchUvfLdju+iAr8A1JS86FBJgv5h09QsLI";
export const releaseCommitToken = "dfecbe0";
export const githubAction = "actions/checkout@4fd8b94ebbc606217663cf85d19648196198eabd";
export const requestId = "db5f3bca-f573-42a2-a51b-a81dba09e04f";
export const accessTokenCookieName = "__Secure-acme.session-token";
export const AUTH_HEADER = `Bearer ${process.env.API_TOKEN}`;
