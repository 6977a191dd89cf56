package dev.termlet.spring.internal;

import dev.termlet.annotations.Command;
import dev.termlet.annotations.OnUser;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.aop.framework.autoproxy.AutoProxyUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.beans.factory.BeanCurrentlyInCreationException;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;

/**
 * Finds the singleton beans whose classes have {@link OnUser} or {@link Command} methods, the handlers Termlet calls.
 * A bean behind a class-based proxy (Spring's default: {@code @Transactional}, {@code @Async}...) is called through
 * the proxy, so its advice applies; its handler methods must then be ones the proxy can pass on (not private, not
 * final). A bean behind an interface-based (JDK) proxy cannot be called, as the proxy lacks its class's methods.
 */
public final class HandlerBeans {
    private static final Set<Class<? extends java.lang.annotation.Annotation>> ANNOTATIONS =
            Set.of(OnUser.class, Command.class);

    private HandlerBeans() {}

    /**
     * @param beans the application's bean factory
     * @return the handler beans by name, in the order the factory lists them
     * @throws IllegalStateException naming every bean that cannot be called, and why
     */
    public static Map<String, Object> find(ConfigurableListableBeanFactory beans) {
        Map<String, Object> handlers = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (String name : beans.getBeanNamesForType(Object.class, false, false)) {
            Class<?> type;
            try {
                type = originalClass(beans, name);
                if (type == null) {
                    type = beans.getType(name, false);
                }
            } catch (RuntimeException | LinkageError e) {
                continue;
            }
            if (type == null || handlerMethods(ClassUtils.getUserClass(type)).isEmpty()) {
                continue;
            }
            String cycle = "bean '" + name + "' (" + ClassUtils.getUserClass(type).getName() + ") needs the"
                    + " TermletServer, which needs it as a handler: inject ObjectProvider<TermletServer> instead";
            if (beans.isCurrentlyInCreation(name)) {
                problems.add(cycle);
                continue;
            }
            Object bean;
            try {
                bean = beans.getBean(name);
            } catch (BeanCreationException e) {
                if (!e.contains(BeanCurrentlyInCreationException.class)) {
                    throw e;
                }
                problems.add(cycle);
                continue;
            }
            Class<?> target = ClassUtils.getUserClass(AopUtils.getTargetClass(bean));
            if (AopUtils.isJdkDynamicProxy(bean)) {
                problems.add("bean '" + name + "' (" + target.getName() + ") is an interface-based proxy, which"
                        + " lacks its class's @OnUser and @Command methods: let Spring proxy the class"
                        + " (spring.aop.proxy-target-class=true, Spring Boot's default)");
                continue;
            }
            if (AopUtils.isAopProxy(bean)) {
                for (Method m : handlerMethods(target)) {
                    int mod = m.getModifiers();
                    if (!Modifier.isStatic(mod) && (Modifier.isPrivate(mod) || Modifier.isFinal(mod))) {
                        problems.add(target.getName() + "#" + m.getName() + " is " + (Modifier.isPrivate(mod)
                                ? "private" : "final") + ", and bean '" + name + "' is a proxy, which cannot pass"
                                + " that call on to the bean: make the method package-private, protected or public,"
                                + " and not final");
                    }
                }
            }
            handlers.put(name, bean);
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Termlet cannot call these handler beans:\n  "
                    + String.join("\n  ", problems));
        }
        return handlers;
    }

    /** The class of a bean that Spring's auto-proxying has wrapped in a proxy already, or null. */
    private static Class<?> originalClass(ConfigurableListableBeanFactory beans, String name) {
        if (!beans.containsBeanDefinition(name)) {
            return null;
        }
        Object original = beans.getMergedBeanDefinition(name)
                .getAttribute(AutoProxyUtils.ORIGINAL_TARGET_CLASS_ATTRIBUTE);
        return original instanceof Class ? (Class<?>) original : null;
    }

    /**
     * @param type a class
     * @return its methods and its superclasses' with {@link OnUser} or {@link Command}
     */
    public static List<Method> handlerMethods(Class<?> type) {
        List<Method> found = new ArrayList<>();
        if (!AnnotationUtils.isCandidateClass(type, ANNOTATIONS)) {
            return found;
        }
        try {
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                for (Method m : c.getDeclaredMethods()) {
                    if (!m.isBridge() && (m.isAnnotationPresent(OnUser.class) || m.isAnnotationPresent(Command.class))) {
                        found.add(m);
                    }
                }
            }
        } catch (LinkageError e) {
            // a class whose methods name a class that is not there (an optional dependency): no handler of ours
            found.clear();
        }
        return found;
    }
}
