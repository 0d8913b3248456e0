// nerfRaymarch vertex shader (WGSL, WebGPU; Babylon ShaderMaterial syntax): the radiance field's
// bounding box. The mesh's local space is the field's capture space (z mirrored in a left-handed
// scene); its back faces are drawn (front faces culled) so the field renders with the camera
// inside the box. Passes the local position of the box surface to the fragment shader, which
// marches the ray from the camera (in capture coordinates) through it: see nerfRaymarch.fragment.wgsl.

attribute position: vec3f;

uniform world: mat4x4f;
uniform viewProjection: mat4x4f;

varying vLocalPosition: vec3f;

@vertex
fn main(input: VertexInputs) -> FragmentInputs {
    vertexOutputs.vLocalPosition = vertexInputs.position;
    vertexOutputs.position = uniforms.viewProjection * uniforms.world * vec4f(vertexInputs.position, 1.0);
}
