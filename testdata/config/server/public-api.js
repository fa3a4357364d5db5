const cors = require("cors");

module.exports = function publicApi(app) {
  app.use("/public", cors({ origin: "*" }));
  app.use("/partner", cors({ origin: ["https://partner.example.com"], credentials: true }));
};
