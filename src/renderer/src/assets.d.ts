/** Vite turns imported images into URLs of the emitted files. */
declare module '*.png' {
  const url: string;
  export default url;
}

/** Stylesheets are bundled by Vite; importing one only adds it to the page. */
declare module '*.css';
