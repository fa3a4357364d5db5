module.exports = "acme_live_5s4yykqt5q0but5sj4bh2psciza489rp";
