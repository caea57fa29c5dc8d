// Loaded with the page's nonce; with 'strict-dynamic', scripts it adds with createElement may run too.
document.getElementById('external-status')?.replaceChildren('The external script ran: it was loaded with this response\u2019s nonce.');
window.showcaseExternalRan = true;
