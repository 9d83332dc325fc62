// Types for electron-vite's `?asset` imports (a file shipped beside the main bundle, imported as
// its path at run time), used for the tray and window icons.
/// <reference types="electron-vite/node" />
