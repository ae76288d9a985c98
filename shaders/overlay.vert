#version 330 core
// Draws the video rectangle (letterboxed inside the view) with texture coordinates whose v runs
// top-down, matching the row order of frames and heatmaps.
layout(location = 0) in vec2 a_corner;  // (0,0)..(1,1)
uniform vec4 u_rect;                    // x0, y0, x1, y1 in normalized device coordinates
out vec2 v_uv;

void main() {
  gl_Position = vec4(mix(u_rect.xy, u_rect.zw, a_corner), 0.0, 1.0);
  v_uv = vec2(a_corner.x, 1.0 - a_corner.y);
}
