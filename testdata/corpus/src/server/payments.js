const Stripe = require("stripe");
const stripe = Stripe(process.env.STRIPE_SECRET_KEY);
const braintree = require("braintree");

const gateway = new braintree.BraintreeGateway({
  accessToken: "access_token$production$haayd9uc5we3l81s$fcf8400981381bef7d08ef811f0112e6",
});

const square = { accessToken: "sq0atp-zwWmrYpZ9bN3HuudEILMS5", environment: "production" };
const shopify = { adminToken: "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" };
const idempotencyKey = "8a8c4334-fdd0-4888-a710-26c712dc5a1a";
module.exports = { stripe, gateway, square, shopify, idempotencyKey };
