#version 330 core
// Upsamples the low-resolution score map (bilinear, corners aligned), normalizes it to
// [u_low, u_high], colour-maps it through a 256-entry lookup texture and blends it over the frame.
// core/HeatmapCompositor.cpp is the CPU twin of this shader; keep both in step.
in vec2 v_uv;
out vec4 fragColor;

uniform sampler2D u_frame;     // RGB8 video frame
uniform sampler2D u_heatmap;   // R32F raw scores, u_heatmapSize texels
uniform sampler2D u_colormap;  // 256 x 1 RGB lookup table
uniform vec2 u_heatmapSize;
uniform float u_low;
uniform float u_high;
uniform float u_opacity;
uniform bool u_hideBelowLow;
uniform bool u_hasHeatmap;

void main() {
  vec3 base = texture(u_frame, v_uv).rgb;
  if (!u_hasHeatmap) {
    fragColor = vec4(base, 1.0);
    return;
  }
  vec2 texel = (v_uv * (u_heatmapSize - 1.0) + 0.5) / u_heatmapSize;
  float score = texture(u_heatmap, texel).r;
  if (u_hideBelowLow && score < u_low) {
    fragColor = vec4(base, 1.0);
    return;
  }
  float n = clamp((score - u_low) / max(u_high - u_low, 1e-6), 0.0, 1.0);
  vec3 color = texture(u_colormap, vec2((n * 255.0 + 0.5) / 256.0, 0.5)).rgb;
  fragColor = vec4(mix(base, color, u_opacity), 1.0);
}
