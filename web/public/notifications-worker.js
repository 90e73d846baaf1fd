/* global self */
// The station app's service worker: only so a phone's browser can show a notification (Android's
// Chrome has no `new Notification()`), and a tap on one brings the due board forward.
self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  event.waitUntil(
    self.clients.matchAll({ type: 'window' }).then((windows) => (windows[0] ? windows[0].focus() : self.clients.openWindow('/app/#/due'))),
  );
});
