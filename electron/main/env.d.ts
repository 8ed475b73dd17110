// electron-vite's import suffixes (`?modulePath`: bundle a module separately and import its path).
/// <reference types="electron-vite/node" />
