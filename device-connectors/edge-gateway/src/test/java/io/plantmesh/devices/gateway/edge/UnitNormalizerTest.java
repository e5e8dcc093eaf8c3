package io.plantmesh.devices.gateway.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class UnitNormalizerTest {

    @Test
    void convertsRadiansPerSecondToRpm() {
        assertThat(UnitNormalizer.between("rad/s", "rpm").apply(2 * Math.PI)).isCloseTo(60.0, within(1e-9));
        assertThat(UnitNormalizer.between("rad/s", "rpm").apply(10)).isCloseTo(95.4929658, within(1e-6));
    }

    @Test
    void convertsFahrenheitAndKelvinToCelsius() {
        final UnitNormalizer f = UnitNormalizer.between("°F", "°C");
        assertThat(f.apply(212)).isCloseTo(100.0, within(1e-9));
        assertThat(f.apply(32)).isCloseTo(0.0, within(1e-9));
        assertThat(f.apply(-40)).isCloseTo(-40.0, within(1e-9));
        assertThat(UnitNormalizer.between("degF", "degC").apply(98.6)).isCloseTo(37.0, within(1e-9));
        assertThat(UnitNormalizer.between("K", "°C").apply(373.15)).isCloseTo(100.0, within(1e-9));
        assertThat(UnitNormalizer.between("°C", "°F").apply(100)).isCloseTo(212.0, within(1e-9));
    }

    @Test
    void convertsPowerVelocityAndTime() {
        assertThat(UnitNormalizer.between("W", "kW").apply(1500)).isCloseTo(1.5, within(1e-12));
        assertThat(UnitNormalizer.between("MW", "kW").apply(0.25)).isCloseTo(250.0, within(1e-9));
        assertThat(UnitNormalizer.between("in/s", "mm/s").apply(1)).isCloseTo(25.4, within(1e-12));
        assertThat(UnitNormalizer.between("m/s", "mm/s").apply(0.004)).isCloseTo(4.0, within(1e-12));
        assertThat(UnitNormalizer.between("s", "ms").apply(41.83)).isCloseTo(41830.0, within(1e-9));
    }

    @Test
    void identityForSameUnit() {
        assertThat(UnitNormalizer.between("rpm", "rpm").isIdentity()).isTrue();
        assertThat(UnitNormalizer.between("rpm", "rpm").apply(1234.5)).isEqualTo(1234.5);
    }

    @Test
    void rejectsUnknownAndIncompatibleUnits() {
        assertThatThrownBy(() -> UnitNormalizer.between("furlong/fortnight", "mm/s"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown unit 'furlong/fortnight'");
        assertThatThrownBy(() -> UnitNormalizer.between("W", "°C"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot convert power 'W' to temperature '°C'");
        // case matters: milliwatt is not megawatt
        assertThat(UnitNormalizer.isKnown("mW")).isFalse();
    }
}
