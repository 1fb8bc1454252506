package io.postway.k8s;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one service reads from its configuration, taken from its own jar: the keys of its
 * {@code application.properties} (all profiles), the keys of its {@code @ConfigMapping}, the
 * environment variables its properties refer to ({@code ${NAME}} / {@code ${NAME:default}}), and
 * those its code reads itself ({@code System.getenv("NAME")}).
 */
final class ServiceConfig {

    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(:|})");
    private static final Pattern REQUIRED_ENV = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)}");
    private static final Pattern ENV_LITERAL = Pattern.compile("POSTWAY_[A-Z0-9_]+");
    /** A class that builds its own Kafka client (not a SmallRye channel) names one of these types. */
    private static final Pattern KAFKA_CLIENT_TYPE = Pattern.compile(
            "org/apache/kafka/clients/(consumer/KafkaConsumer|producer/KafkaProducer|admin/Admin)(?![A-Za-z])");
    /** The Kafka clients' settings: Quarkus hands every KAFKA_X_Y variable to them as kafka.x.y. */
    static final Set<String> KAFKA_CLIENT_SETTINGS;

    static {
        Set<String> all = new HashSet<>(ProducerConfig.configNames());
        all.addAll(ConsumerConfig.configNames());
        all.addAll(AdminClientConfig.configNames());
        KAFKA_CLIENT_SETTINGS = Collections.unmodifiableSet(all);
    }

    final String name;
    final Properties properties;
    final Set<String> keys = new TreeSet<>();
    final Set<String> referencedEnv = new TreeSet<>();
    final Set<String> getenvLiterals = new TreeSet<>();
    final Map<String, String> mappingDefaults = new HashMap<>();
    /** Simple names of the service's classes that build their own Kafka clients (nested classes count as their outer one). */
    final Set<String> plainKafkaClients = new TreeSet<>();

    private ServiceConfig(String name, Properties properties, JarFile jar) throws IOException {
        this.name = name;
        this.properties = properties;
        for (String key : properties.stringPropertyNames()) {
            keys.add(key.startsWith("%") ? key.substring(key.indexOf('.') + 1) : key);
            Matcher m = ENV_REFERENCE.matcher(properties.getProperty(key));
            while (m.find()) {
                referencedEnv.add(m.group(1));
            }
        }
        for (JarEntry e : Collections.list(jar.entries())) {
            if (!e.getName().endsWith(".class")) {
                continue;
            }
            String text;
            try (InputStream in = jar.getInputStream(e)) {
                text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            }
            if (text.contains("getenv")) {
                Matcher m = ENV_LITERAL.matcher(text);
                while (m.find()) {
                    getenvLiterals.add(m.group());
                }
            }
            String className = e.getName().replace('/', '.').substring(0, e.getName().length() - ".class".length());
            if (className.startsWith("io.postway.") && KAFKA_CLIENT_TYPE.matcher(text).find()) {
                String simple = className.substring(className.lastIndexOf('.') + 1);
                plainKafkaClients.add(simple.contains("$") ? simple.substring(0, simple.indexOf('$')) : simple);
            }
            if (className.contains(".config.")) {
                addMapping(className);
            }
        }
    }

    /** The four services, found by their jars' application.properties on the test class path. */
    static Map<String, ServiceConfig> all() {
        Map<String, ServiceConfig> services = new HashMap<>();
        try {
            for (URL url : Collections.list(ServiceConfig.class.getClassLoader().getResources("application.properties"))) {
                JarURLConnection c = (JarURLConnection) url.openConnection();
                c.setUseCaches(false);
                Properties p = new Properties();
                try (InputStream in = c.getInputStream()) {
                    p.load(in);
                }
                String name = p.getProperty("quarkus.application.name");
                try (JarFile jar = new JarFile(c.getJarFileURL().getPath())) {
                    services.put(name, new ServiceConfig(name, p, jar));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return services;
    }

    /** The environment variable's name for a configuration key (MicroProfile Config's rule). */
    static String envName(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    /** Why the service reads this variable, or empty when it does not. */
    Optional<String> reads(String env) {
        if (referencedEnv.contains(env)) {
            return Optional.of("referenced in application.properties");
        }
        if (getenvLiterals.contains(env)) {
            return Optional.of("read with System.getenv");
        }
        if (env.startsWith("KAFKA_") && KAFKA_CLIENT_SETTINGS.contains(env.substring(6).toLowerCase(Locale.ROOT).replace('_', '.'))) {
            return Optional.of("Kafka client setting kafka." + env.substring(6).toLowerCase(Locale.ROOT).replace('_', '.'));
        }
        return keys.stream().filter(k -> !k.contains("*") && envName(k).equals(env)).findFirst().map(k -> "configuration key " + k);
    }

    /** Variables the %prod profile needs without a default: a deployment must set each. */
    Set<String> requiredInProd() {
        Set<String> required = new TreeSet<>();
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith("%prod.")) {
                Matcher m = REQUIRED_ENV.matcher(properties.getProperty(key));
                while (m.find()) {
                    required.add(m.group(1));
                }
            }
        }
        return required;
    }

    /** The value in %prod of a key with {@code ${VAR:default}} resolved against the container's environment. */
    Optional<String> prodValue(String key, Map<String, String> env) {
        String raw = properties.getProperty("%prod." + key, properties.getProperty(key));
        if (raw == null) {
            return Optional.ofNullable(mappingDefaults.get(key));
        }
        Matcher m = Pattern.compile("\\$\\{([A-Z0-9_]+)(?::([^}]*))?}").matcher(raw);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = env.getOrDefault(m.group(1), m.group(2));
            if (value == null) {
                return Optional.empty();
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return Optional.of(out.toString());
    }

    static Duration duration(String value) {
        return Duration.parse(value.startsWith("P") ? value : "PT" + value.toUpperCase(Locale.ROOT));
    }

    private void addMapping(String className) {
        try {
            Class<?> type = Class.forName(className, false, ServiceConfig.class.getClassLoader());
            ConfigMapping mapping = type.getAnnotation(ConfigMapping.class);
            if (mapping != null) {
                addKeys(type, mapping.prefix());
            }
        } catch (ClassNotFoundException | LinkageError e) {
            // not a configuration class this check can load (its types live in the service's dependencies)
        }
    }

    private void addKeys(Class<?> type, String prefix) {
        for (Method m : type.getMethods()) {
            if (m.getParameterCount() != 0 || m.isDefault() || java.lang.reflect.Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            WithName named = m.getAnnotation(WithName.class);
            String key = prefix + "." + (named != null ? named.value() : kebab(m.getName()));
            WithDefault def = m.getAnnotation(WithDefault.class);
            if (def != null) {
                mappingDefaults.put(key, def.value());
            }
            Type t = m.getGenericReturnType();
            if (t instanceof ParameterizedType pt && pt.getRawType() == Optional.class) {
                t = pt.getActualTypeArguments()[0];
            }
            if (t instanceof ParameterizedType pt && pt.getRawType() == Map.class) {
                Type value = pt.getActualTypeArguments()[1];
                if (value instanceof Class<?> c && c.isInterface() && c.getName().startsWith("io.postway")) {
                    addKeys(c, key + ".*");
                } else {
                    keys.add(key + ".*");
                }
            } else if (t instanceof Class<?> c && c.isInterface() && c.getName().startsWith("io.postway") && !List.class.isAssignableFrom(c)) {
                addKeys(c, key);
            } else {
                keys.add(key);
            }
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
