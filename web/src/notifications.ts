const workerUrl = '/app/notifications-worker.js';

export const notificationsAllowed = () => 'Notification' in window && Notification.permission === 'granted';

export function registerNotificationWorker(): void {
  if ('serviceWorker' in navigator) void navigator.serviceWorker.register(workerUrl, { scope: '/app/' }).catch(() => undefined);
}

/**
 * A notification on this device, through the service worker where there is one (phones), else
 * the page's own. It never throws: the due board shows the escalation either way.
 */
export async function notify(title: string, body: string, tag: string): Promise<void> {
  if (!notificationsAllowed()) return;
  try {
    const registration = 'serviceWorker' in navigator ? await navigator.serviceWorker.getRegistration('/app/') : undefined;
    if (registration) await registration.showNotification(title, { body, tag });
    else new Notification(title, { body, tag });
  } catch {
    // Refused or unsupported here.
  }
}
