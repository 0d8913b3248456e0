// `babylonjs-editor` is the running Babylon.js Editor's own module (its overrides.ts hands it to
// plugins); it ships no sources on npm, so the parts used are typed in editorApi.ts.
declare module "babylonjs-editor";
