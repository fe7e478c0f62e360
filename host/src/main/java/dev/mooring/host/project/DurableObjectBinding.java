package dev.mooring.host.project;

import java.util.Objects;

/**
 * One entry of {@code [durable_objects] bindings}: the Worker reaches the namespace of the class
 * {@code className} of this project as {@code env[bindingName]}.
 */
public record DurableObjectBinding(String bindingName, String className) {

    public DurableObjectBinding {
        Objects.requireNonNull(bindingName, "bindingName");
        Objects.requireNonNull(className, "className");
    }
}
