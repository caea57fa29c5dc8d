// SecureHeaders: keeps one CSP nonce per document under Blazor's enhanced navigation.
//
// Enhanced navigation fetches the next page and patches it into the current document, whose policy (and nonce)
// stay those of the first response. The server renders such a page with a fresh nonce unless it knows the
// document's, so its nonce-carrying elements (<style nonce>, scripts) would be blocked. This initializer, loaded by
// blazor.web.js, sends the document's nonce with Blazor's enhanced-navigation fetches; SecureHeaders renders the
// page with it (only for those same-origin fetches, never for a navigation). Blazor fetches in no-cors mode, where
// only CORS-safelisted headers go out, so the nonce travels as a parameter of Accept (Fetch §2.2.2), which
// SecureHeaders removes again before Blazor's endpoint sees the request. Nothing else changes.
const enhancedAccept = 'text/html; blazor-enhanced-nav=on';

function documentNonce() {
  // The nonce IDL attribute survives the browser hiding the content attribute (HTML §2.6.4 "nonce").
  for (const element of document.querySelectorAll('script[nonce], style[nonce], link[nonce]')) {
    if (element.nonce) {
      return element.nonce;
    }
  }
  return '';
}

function isEnhancedNavigation(headers) {
  return headers.get('accept') === enhancedAccept;
}

export function beforeWebStart() {
  const nonce = documentNonce();
  if (!/^[A-Za-z0-9+/]{24}$/.test(nonce) || window.fetch.secureHeaders) {
    return;
  }

  const fetch = window.fetch;
  const wrapped = function (input, init) {
    const headers = new Headers(init && init.headers ? init.headers : (input instanceof Request ? input.headers : undefined));
    if (isEnhancedNavigation(headers) && new URL(input instanceof Request ? input.url : String(input), document.baseURI).origin === location.origin) {
      headers.set('accept', enhancedAccept + '; secureheaders-nonce=' + nonce);
      return fetch.call(this, input, { ...init, headers });
    }
    return fetch.call(this, input, init);
  };
  wrapped.secureHeaders = true;
  window.fetch = wrapped;
}
