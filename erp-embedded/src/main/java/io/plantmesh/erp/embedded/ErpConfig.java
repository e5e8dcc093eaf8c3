package io.plantmesh.erp.embedded;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Configuration of the {@link EmbeddedErp}. Build it with {@link #builder()}; every value has a default suitable for
 * the embedded footprint except {@link Builder#mongoUri}, which must be given. {@link Builder#environment} overrides
 * values from {@code PLANTMESH_ERP_*} variables.
 *
 * @param host the address the HTTP server binds to (default {@code 127.0.0.1})
 * @param port the HTTP port, 0 for any free port (default 0)
 * @param mongoUri the MongoDB connection string, e.g. the embedded store's {@code mongodb://127.0.0.1:port}
 * @param database the MongoDB database (default {@value #DEFAULT_DATABASE})
 * @param user the technical user clients authenticate as with Basic authentication (default {@value #DEFAULT_USER})
 * @param password its password (default {@value #DEFAULT_PASSWORD})
 * @param clock the plant clock: posting dates, document years and when requisitions are due
 * @param receiptLeadTime how long after its creation a purchase requisition is received (default 2 minutes of
 *        {@code clock} time)
 * @param receiptCheckInterval how often (wall-clock) the ERP looks for requisitions that are due (default 1 s)
 * @param companyCode the company code of every posting (default {@code 1010})
 * @param currency the company code currency (default {@code EUR})
 * @param defaultCostCenter the cost centre charged when a posting names none and its work centre is unknown
 * @param defaultMachineRatePerHour the machine-hour rate for work centres not in {@link #workCenters}
 * @param materials material master data created or updated at start (and initial stock booked once)
 * @param workCenters work centres created or updated at start
 * @param requireRepeatability whether a POST without {@code Repeatability-Request-ID} is refused (default false: it
 *        is executed, without the guarantee against double posting)
 * @param csrfProtection whether modifying requests need an {@code x-csrf-token} (default true, as SAP)
 */
public record ErpConfig(String host, int port, String mongoUri, String database, String user, String password,
        Clock clock, Duration receiptLeadTime, Duration receiptCheckInterval, String companyCode, String currency,
        String defaultCostCenter, BigDecimal defaultMachineRatePerHour, List<MaterialMaster> materials,
        List<WorkCenter> workCenters, boolean requireRepeatability, boolean csrfProtection) {

    public static final String DEFAULT_DATABASE = "plantmesh_erp";
    public static final String DEFAULT_USER = "PLANTMESH";
    public static final String DEFAULT_PASSWORD = "plantmesh";

    public ErpConfig {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        Objects.requireNonNull(mongoUri, "mongoUri: give the MongoDB connection string (the embedded store's "
            + "connectionString() or a real MongoDB)");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(clock, "clock");
        requirePositive(receiptLeadTime, "receiptLeadTime", true);
        requirePositive(receiptCheckInterval, "receiptCheckInterval", false);
        Objects.requireNonNull(companyCode, "companyCode");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(defaultCostCenter, "defaultCostCenter");
        Objects.requireNonNull(defaultMachineRatePerHour, "defaultMachineRatePerHour");
        materials = List.copyOf(materials);
        workCenters = List.copyOf(workCenters);
    }

    private static void requirePositive(Duration value, String name, boolean zeroAllowed) {
        Objects.requireNonNull(value, name);
        boolean valid = zeroAllowed ? !value.isNegative() : !value.isNegative() && !value.isZero();
        if (!valid) {
            throw new IllegalArgumentException(name + " must be " + (zeroAllowed ? "zero or more" : "positive")
                + ", got " + value);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder with these values. */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.host = host;
        builder.port = port;
        builder.mongoUri = mongoUri;
        builder.database = database;
        builder.user = user;
        builder.password = password;
        builder.clock = clock;
        builder.receiptLeadTime = receiptLeadTime;
        builder.receiptCheckInterval = receiptCheckInterval;
        builder.companyCode = companyCode;
        builder.currency = currency;
        builder.defaultCostCenter = defaultCostCenter;
        builder.defaultMachineRatePerHour = defaultMachineRatePerHour;
        builder.materials = new ArrayList<>(materials);
        builder.workCenters = new ArrayList<>(workCenters);
        builder.requireRepeatability = requireRepeatability;
        builder.csrfProtection = csrfProtection;
        return builder;
    }

    /** Builds an {@link ErpConfig}, one value per call. */
    public static final class Builder {

        private String host = "127.0.0.1";
        private int port;
        private String mongoUri;
        private String database = DEFAULT_DATABASE;
        private String user = DEFAULT_USER;
        private String password = DEFAULT_PASSWORD;
        private Clock clock = Clock.systemUTC();
        private Duration receiptLeadTime = Duration.ofMinutes(2);
        private Duration receiptCheckInterval = Duration.ofSeconds(1);
        private String companyCode = "1010";
        private String currency = "EUR";
        private String defaultCostCenter = "CC-PROD";
        private BigDecimal defaultMachineRatePerHour = new BigDecimal("60");
        private List<MaterialMaster> materials = new ArrayList<>();
        private List<WorkCenter> workCenters = new ArrayList<>();
        private boolean requireRepeatability;
        private boolean csrfProtection = true;

        private Builder() {
        }

        public Builder host(String value) {
            host = value;
            return this;
        }

        public Builder port(int value) {
            port = value;
            return this;
        }

        public Builder mongoUri(String value) {
            mongoUri = value;
            return this;
        }

        public Builder database(String value) {
            database = value;
            return this;
        }

        public Builder user(String value) {
            user = value;
            return this;
        }

        public Builder password(String value) {
            password = value;
            return this;
        }

        public Builder clock(Clock value) {
            clock = value;
            return this;
        }

        public Builder receiptLeadTime(Duration value) {
            receiptLeadTime = value;
            return this;
        }

        public Builder receiptCheckInterval(Duration value) {
            receiptCheckInterval = value;
            return this;
        }

        public Builder companyCode(String value) {
            companyCode = value;
            return this;
        }

        public Builder currency(String value) {
            currency = value;
            return this;
        }

        public Builder defaultCostCenter(String value) {
            defaultCostCenter = value;
            return this;
        }

        public Builder defaultMachineRatePerHour(BigDecimal value) {
            defaultMachineRatePerHour = value;
            return this;
        }

        public Builder material(MaterialMaster value) {
            materials.add(Objects.requireNonNull(value, "material"));
            return this;
        }

        public Builder materials(List<MaterialMaster> values) {
            materials = new ArrayList<>(values);
            return this;
        }

        public Builder workCenter(WorkCenter value) {
            workCenters.add(Objects.requireNonNull(value, "workCenter"));
            return this;
        }

        public Builder workCenters(List<WorkCenter> values) {
            workCenters = new ArrayList<>(values);
            return this;
        }

        public Builder requireRepeatability(boolean value) {
            requireRepeatability = value;
            return this;
        }

        public Builder csrfProtection(boolean value) {
            csrfProtection = value;
            return this;
        }

        /**
         * Overrides values from environment variables: {@code PLANTMESH_ERP_HOST}, {@code PLANTMESH_ERP_PORT},
         * {@code PLANTMESH_ERP_MONGO_URI}, {@code PLANTMESH_ERP_DATABASE}, {@code PLANTMESH_ERP_USER},
         * {@code PLANTMESH_ERP_PASSWORD}, {@code PLANTMESH_ERP_LEAD_TIME} (ISO-8601 duration, e.g. {@code PT2M}).
         *
         * @throws IllegalArgumentException naming the variable if a value cannot be read
         */
        public Builder environment(Map<String, String> env) {
            host = env.getOrDefault("PLANTMESH_ERP_HOST", host);
            String portText = env.get("PLANTMESH_ERP_PORT");
            if (portText != null) {
                try {
                    port = Integer.parseInt(portText.trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("PLANTMESH_ERP_PORT must be a port number, got \"" + portText
                        + "\"", e);
                }
            }
            mongoUri = env.getOrDefault("PLANTMESH_ERP_MONGO_URI", mongoUri);
            database = env.getOrDefault("PLANTMESH_ERP_DATABASE", database);
            user = env.getOrDefault("PLANTMESH_ERP_USER", user);
            password = env.getOrDefault("PLANTMESH_ERP_PASSWORD", password);
            String leadTime = env.get("PLANTMESH_ERP_LEAD_TIME");
            if (leadTime != null) {
                try {
                    receiptLeadTime = Duration.parse(leadTime.trim());
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException("PLANTMESH_ERP_LEAD_TIME must be an ISO-8601 duration such as "
                        + "PT2M, got \"" + leadTime + "\"", e);
                }
            }
            return this;
        }

        public ErpConfig build() {
            return new ErpConfig(host, port, mongoUri, database, user, password, clock, receiptLeadTime,
                receiptCheckInterval, companyCode, currency, defaultCostCenter, defaultMachineRatePerHour, materials,
                workCenters, requireRepeatability, csrfProtection);
        }
    }
}
