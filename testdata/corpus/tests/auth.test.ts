import { sign } from "jsonwebtoken";
const JWT_SECRET = "test-secret";
it("signs", () => { expect(sign({ sub: "1" }, JWT_SECRET)).toBeTruthy(); });
