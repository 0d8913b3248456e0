// nerfRaymarch vertex shader (GLSL, WebGL2): the radiance field's bounding box.
// The mesh's local space is the field's capture space (z mirrored in a left-handed scene); its
// back faces are drawn (front faces culled) so the field renders with the camera inside the box.
// Passes the local position of the box surface to the fragment shader, which marches the ray
// from the camera (in capture coordinates) through it: see nerfRaymarch.fragment.glsl.
precision highp float;

attribute vec3 position;

uniform mat4 world;
uniform mat4 viewProjection;

varying vec3 vLocalPosition;

void main(void) {
    vLocalPosition = position;
    gl_Position = viewProjection * world * vec4(position, 1.0);
}
