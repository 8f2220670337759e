// A warning orange dark enough for small text: 5.6:1 on white and 5:1 on a light orange alert
// (Mantine's darkest orange, orange 9, reaches only 4.3:1 on white).
export const WARNING_TEXT = "#b8400b";
