import { initializeApp } from "firebase/app";

// Web config: public by design (restricted by HTTP referrer in the console).
const firebaseConfig = {
  apiKey: "AIzaoOYpF93csNsszJ-3e7Iw9nzumTSafvwEfct",
  authDomain: "acme-shop.firebaseapp.com",
  projectId: "acme-shop",
  storageBucket: "acme-shop.appspot.com",
  messagingSenderId: "982814148796",
  appId: "1:111318219237:web:e27a5739c29f0a1a665eaa",
};

export const app = initializeApp(firebaseConfig);
