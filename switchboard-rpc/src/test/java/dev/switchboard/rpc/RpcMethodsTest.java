package dev.switchboard.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.jsonrpc.MethodDescriptor;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RpcMethodsTest {

  public static final class Greeter {
    @RpcMethod(description = "Says hello.")
    public String hello(String name, Optional<String> greeting) {
      return greeting.orElse("hello") + " " + name;
    }

    @RpcMethod("add_all")
    public long addAll(long... values) {
      return 0;
    }

    public String notExposed() {
      return "";
    }
  }

  @Test
  void annotatedMethodsRegisterUnderTheirWireNames() {
    RpcMethods methods = RpcMethods.builder().register(new Greeter()).build();
    assertThat(methods.names()).containsExactlyInAnyOrder("hello", "add_all");
  }

  @Test
  void descriptorsCarryParamNamesSchemasAndStructure() {
    RpcMethods methods = RpcMethods.builder().register(new Greeter()).build();
    MethodDescriptor hello = methods.describe("hello").orElseThrow();
    assertThat(hello.description()).hasValue("Says hello.");
    assertThat(hello.params())
        .extracting(MethodDescriptor.Param::name)
        .containsExactly("name", "greeting");
    assertThat(hello.params())
        .extracting(MethodDescriptor.Param::required)
        .containsExactly(true, false);
    assertThat(hello.params().get(0).schema().get("type").asText()).isEqualTo("string");
    assertThat(hello.paramStructure()).isEqualTo(MethodDescriptor.ParamStructure.EITHER);
    MethodDescriptor addAll = methods.describe("add_all").orElseThrow();
    assertThat(addAll.paramStructure()).isEqualTo(MethodDescriptor.ParamStructure.BY_POSITION);
    assertThat(addAll.params().get(0).schema().get("type").asText()).isEqualTo("array");
  }

  @Test
  void reservedNamesAreRejected() {
    assertThatThrownBy(() -> RpcMethods.builder().method("rpc.mine", call -> null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rpc.mine")
        .hasMessageContaining("reserved");
  }

  @Test
  void duplicateNamesAreRejected() {
    assertThatThrownBy(
            () -> RpcMethods.builder().method("a", call -> null).method("a", call -> null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'a' is registered twice");
  }

  @Test
  void anObjectWithoutRpcMethodsIsRejected() {
    assertThatThrownBy(() -> RpcMethods.builder().register(new Object()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no public @RpcMethod");
  }

  @Test
  void includeMergesRegistries() {
    RpcMethods base = RpcMethods.builder().method("a", call -> 1).build();
    RpcMethods all = RpcMethods.builder().include(base).method("b", call -> 2).build();
    assertThat(all.names()).containsExactlyInAnyOrder("a", "b");
    assertThat(List.copyOf(base.names())).containsExactly("a");
  }
}
