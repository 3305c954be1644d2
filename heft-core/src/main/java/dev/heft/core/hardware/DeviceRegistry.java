package dev.heft.core.hardware;

import dev.heft.core.error.InvalidInputException;
import dev.heft.core.error.Suggestions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The devices one request may name: the built-in catalog, devices the user added (a {@code --devices-file}), and this
 * machine ({@code local}) when the caller allows detecting it. An immutable value that callers pass explicitly, so
 * two requests in one process (the CLI and the HTTP API in tests, two API calls) never see each other's devices.
 * <p>Ids resolve in the order user, local, built-in: a user device with a built-in id replaces the built-in one.
 * {@code Nxid} is N identical devices (tensor parallel), {@code custom:...} a one-line description.
 */
public final class DeviceRegistry {
    /** The id that names this machine. */
    public static final String LOCAL_ID = "local";

    private static final DeviceRegistry BUILT_IN = new DeviceRegistry(List.of(), Optional.empty());

    private final List<Device> user;
    private final Optional<Supplier<LocalDevice>> local;

    private DeviceRegistry(List<Device> user, Optional<Supplier<LocalDevice>> local) {
        this.user = List.copyOf(user);
        this.local = local;
    }

    /** The built-in catalog alone: no user devices, no detection of this machine. */
    public static DeviceRegistry builtIn() {
        return BUILT_IN;
    }

    /** This registry with {@code devices} added; a later device with the same id replaces an earlier one. */
    public DeviceRegistry withUserDevices(List<Device> devices) {
        List<Device> merged = new ArrayList<>(devices);
        for (Device d : user) {
            if (devices.stream().noneMatch(x -> x.id().equals(d.id()))) {
                merged.add(d);
            }
        }
        return new DeviceRegistry(merged, local);
    }

    /**
     * This registry with {@code local} naming this machine. The detection runs at most once, the first time
     * {@code local} is asked for (it may start processes such as nvidia-smi), and never when only catalog ids are used.
     */
    public DeviceRegistry withLocal(Supplier<LocalDevice> detect) {
        return new DeviceRegistry(user, Optional.of(memoize(detect)));
    }

    public List<Device> userDevices() {
        return user;
    }

    /** Whether {@code local} can be named. */
    public boolean hasLocal() {
        return local.isPresent();
    }

    /** This machine as detected (runs the detection on first use); empty when the registry does not offer it. */
    public Optional<LocalDevice> local() {
        return local.map(Supplier::get);
    }

    /**
     * User devices, the built-in catalog less the ids users replaced, then this machine (detected now if offered;
     * last, so that listings start the same on every machine).
     */
    public List<Device> all() {
        List<Device> all = new ArrayList<>(user);
        for (Device d : DeviceCatalog.builtIn()) {
            if (user.stream().noneMatch(u -> u.id().equals(d.id()))) {
                all.add(d);
            }
        }
        local().ifPresent(l -> all.add(l.device()));
        return List.copyOf(all);
    }

    /** A device by id, {@code Nxid} for N identical devices, {@code custom:...}, or {@code local}. */
    public Device find(String spec) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        if (s.startsWith("custom:")) {
            return DeviceCatalog.custom(spec.trim().substring("custom:".length()));
        }
        int n = 1;
        int x = s.indexOf('x');
        if (x > 0 && s.substring(0, x).chars().allMatch(Character::isDigit)) {
            try {
                n = Integer.parseInt(s.substring(0, x));
            } catch (NumberFormatException e) {
                n = -1;
            }
            s = s.substring(x + 1);
            if (n < 1 || n > 4096) {
                throw new InvalidInputException("device count must be between 1 and 4096 in '" + spec + "'");
            }
        }
        return lookup(s, spec).times(n);
    }

    private Device lookup(String id, String spec) {
        for (Device d : user) {
            if (d.id().equals(id)) {
                return d;
            }
        }
        if (id.equals(LOCAL_ID)) {
            return local().map(LocalDevice::device)
                    .orElseThrow(() -> new InvalidInputException(
                            "device 'local' (this machine) is not available here; name a catalog device instead"));
        }
        for (Device d : DeviceCatalog.builtIn()) {
            if (d.id().equals(id)) {
                return d;
            }
        }
        List<String> ids = new ArrayList<>(user.stream().map(Device::id).toList());
        if (hasLocal()) {
            ids.add(LOCAL_ID);
        }
        DeviceCatalog.builtIn().forEach(d -> ids.add(d.id()));
        throw new InvalidInputException("unknown device '" + spec + "'" + Suggestions.didYouMean(id, ids)
                + "; 'heft devices' lists them, or describe one as custom:mem=24GB,bw=936,bf16=71");
    }

    private static <T> Supplier<T> memoize(Supplier<T> s) {
        return new Supplier<>() {
            private T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = s.get();
                }
                return value;
            }
        };
    }
}
