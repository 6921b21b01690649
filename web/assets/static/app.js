// imet serve: small enhancements over pages that work without JavaScript.
// Nothing here is needed to read a page; nothing is fetched from outside
// this server.
'use strict';
