import nodemailer from "nodemailer";

export const transport = nodemailer.createTransport("smtps://noreply%40acme-shop.com:iMv4rPybdk7tZ4OG@smtp.gmail.com:465");
export const fallback = nodemailer.createTransport(process.env.SMTP_URL);
export const apiHeaders = { Authorization: "Bearer ayxDQhP8l47UK0I9oZ6QUXxnlYkk8XT4CgqP678T" };
