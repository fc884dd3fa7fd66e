package dev.ferry.server;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServiceTest {

  @Test
  void aListNamesServicesInStartingOrderWhateverOrderItGives() {
    assertThat(Service.parseList("gateway,auth,quota,storage"))
      .containsExactly(Service.AUTH, Service.STORAGE, Service.QUOTA, Service.GATEWAY);
    assertThat(Service.parseList(" Storage , gateway,storage ")).containsExactly(Service.STORAGE, Service.GATEWAY);
    assertThat(Service.listOf(Service.parseList("quota,auth"))).isEqualTo("auth,quota");
  }

  @Test
  void anUnknownNameOrAnEmptyListIsAClearErrorNamingTheValidOnes() {
    assertThatThrownBy(() -> Service.parseList("gateway,storrage"))
      .hasMessage("unknown service 'storrage' in services; valid: auth, storage, quota, gateway, sftp");
    assertThatThrownBy(() -> Service.parseList(" , ")).hasMessage("services must name at least one of: auth, storage, quota, gateway, sftp");
    assertThatThrownBy(() -> Service.parseList(null)).isInstanceOf(IllegalArgumentException.class);
  }
}
