const { Client } = require("discord.js");
const client = new Client({ intents: [] });
const DISCORD_APPLICATION_ID = "5357327886094347672";
client.login("NjY2MTQ1NjE0MDEyODEwNzA5.yuwHko.8p-M5XzQbeBJRvLLEa-F7i_6U07Pk91p7tAD7G");
