INSERT INTO users (id, email, password_hash, api_token_hash) VALUES
  ('17e6a0bb-09b9-4d9a-a78b-d1fd035f42ef', 'admin@acme.example', '$argon2id$v=19$m=65536,t=3,p=4$tgNRlzk7bSjmdpaIvopHBA$KAmwHfsIltkBBbwoCrAfO5tOnM2mWCAq7GsOZQYmCz2', 'ec711300a2232887785ef67965a080486bd749ace34ebbc2ab0774e7b687d588');
INSERT INTO api_keys (id, prefix, secret_sha256) VALUES ('b51f8cca-006f-418b-a6d9-d80c055340d6', 'ak_live', '9ddd45794671570256f447fba8816e029471abfcda05cfd0a1f1168b1a582074');
