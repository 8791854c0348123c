package dev.meshbone.registry.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

class AclDiffTest {
  private static final AclBinding CT_READ =
      read("User:clinical-trials", "clinical-trials.enrollments");
  private static final AclBinding PV_READ =
      read("User:pharmacovigilance", "clinical-trials.enrollments");
  private static final AclBinding OPERATOR = read("User:operator", "clinical-trials.enrollments");

  @Test
  void shouldCreateWhatIsMissingAndDeleteOnlyManagedBindingsThatAreNotDesired() {
    AclDiff diff =
        AclDiff.of(
            Set.of(CT_READ),
            Set.of(PV_READ, OPERATOR),
            Set.of("User:clinical-trials", "User:pharmacovigilance"));

    assertThat(diff.create()).containsExactly(CT_READ);
    assertThat(diff.delete()).containsExactly(PV_READ);
  }

  @Test
  void shouldChangeNothingWhenTheClusterHoldsWhatIsDesired() {
    assertThat(
            AclDiff.of(Set.of(CT_READ), Set.of(CT_READ, OPERATOR), Set.of("User:clinical-trials"))
                .isEmpty())
        .isTrue();
  }

  @Test
  void shouldRefuseToDesireABindingOfAPrincipalItDoesNotManage() {
    assertThatThrownBy(() -> AclDiff.of(Set.of(OPERATOR), Set.of(), Set.of("User:clinical-trials")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static AclBinding read(String principal, String topic) {
    return new AclBinding(
        new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL),
        new AccessControlEntry(principal, "*", AclOperation.READ, AclPermissionType.ALLOW));
  }
}
