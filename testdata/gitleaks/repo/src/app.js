const key = "acme_live_qw7b3pdkhx4py8gpan0rlykei2iiaann"; # nosecret-acme
const acme_cookie_key = "180bc0dbc0e15637ebb8e3b91d26ab4a829a9524";
const other = "acme_live_gs86vswi008x3jky4mifwaygu8juy11o";
