/**
 * Termlet in a Spring Boot application: the auto-configuration, {@code TermletServerCustomizer} and the lifecycle.
 * Exports {@code dev.termlet.spring}; {@code dev.termlet.spring.internal} (the binding of the {@code termlet.*}
 * properties, the handler beans, the health indicator and the failure report) is not exported. Spring's jars are
 * automatic modules; both packages are open to Spring, which makes and calls their classes by reflection.
 */
module dev.termlet.spring {
    requires transitive dev.termlet.config;
    requires transitive spring.boot.autoconfigure;
    requires transitive spring.boot;
    requires transitive spring.context;
    requires transitive spring.beans;
    requires transitive spring.core;
    requires spring.aop;
    requires org.slf4j;
    // the health indicator, when the application has Actuator
    requires static spring.boot.actuator;
    requires static spring.boot.actuator.autoconfigure;

    exports dev.termlet.spring;
    opens dev.termlet.spring to spring.core, spring.beans, spring.context;
    opens dev.termlet.spring.internal to spring.core, spring.beans, spring.context;
}
