const express = require("express");
const cors = require("cors");

const app = express();
app.use(cors({ origin: true, credentials: true }));
app.listen(4000);
const session = require("express-session");
app.use(session({ secret: process.env.SESSION_SECRET, resave: false, cookie: { httpOnly: true, maxAge: 86400000 } }));
app.use("/admin", session({ secret: process.env.ADMIN_SESSION_SECRET, cookie: { httpOnly: true, secure: process.env.NODE_ENV === "production" } }));
