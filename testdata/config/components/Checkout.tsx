'use client';
import Stripe from "stripe";

export const stripe = new Stripe("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");
