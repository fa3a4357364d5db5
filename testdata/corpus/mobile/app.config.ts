export default {
  expo: {
    name: "Acme Shop",
    extra: {
      revenueCatKey: process.env.EXPO_PUBLIC_REVENUECAT_KEY,
      mapboxToken: "pk.eyJ1IjoiYWNtZS1zaG9wIiwiYSI6IllFjbQ1fG-Ufcckbca8QIFnxvZjaF2.RYnK0m4DQ22211B2AfQs1w",
      stripePublishableKey: "pk_live_51XYTxmHhRYBXwUce4RdSm9ostHNIdf0rgf8ckn5ykWRzJ3g1972F1mNIWVwnO5VFUIwOySkThZKcpVJKHEt63P8dWu4OGvOnOo",
    },
  },
};
