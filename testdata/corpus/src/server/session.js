const express = require("express");
const session = require("express-session");
const cookieParser = require("cookie-parser");

const app = express();
app.use(cookieParser("bmEdAvsnURbhlwuPuTbcPBBFyp1a0n782U7oa037"));
app.use(session({ secret: 'keyboard cat', resave: false, saveUninitialized: true }));
app.use(session({ secret: process.env.SESSION_SECRET, name: "sid" }));
module.exports = app;
