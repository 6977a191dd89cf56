/** Termlet's handler annotations ({@code @OnUser}) and delivery modes; no dependencies. */
module dev.termlet.annotations {
    exports dev.termlet.annotations;
}
