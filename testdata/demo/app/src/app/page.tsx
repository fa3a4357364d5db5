'use client';

import { loadStripe } from "@stripe/stripe-js";

// Publishable keys are meant for the browser: this one is fine.
const stripe = loadStripe("pk_live_51ayUmORTsiEZu11WacLM2Hkvtap1TgGakQfPCEpl5LxMnZ6");

export default function Page() {
  return <main>Welcome to the demo shop</main>;
}
