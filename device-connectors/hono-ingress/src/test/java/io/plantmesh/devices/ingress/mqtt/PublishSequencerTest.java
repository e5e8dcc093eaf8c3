package io.plantmesh.devices.ingress.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.vertx.core.Future;
import io.vertx.core.Promise;

class PublishSequencerTest {

    private final PublishSequencer sequencer = new PublishSequencer();
    private final List<String> sent = new ArrayList<>();

    private Future<Void> send(PublishSequencer.Slot slot, String name) {
        return slot.send(() -> {
            sent.add(name);
            return Future.succeededFuture();
        });
    }

    @Test
    void aMessageWhoseChecksFinishFirstWaitsForTheEarlierOnes() {
        PublishSequencer.Slot first = sequencer.reserve();
        PublishSequencer.Slot second = sequencer.reserve();
        PublishSequencer.Slot third = sequencer.reserve();

        Future<Void> thirdSent = send(third, "third");
        Future<Void> secondSent = send(second, "second");
        assertThat(sent).isEmpty();
        assertThat(thirdSent.isComplete()).isFalse();

        send(first, "first");
        assertThat(sent).containsExactly("first", "second", "third");
        assertThat(secondSent.succeeded()).isTrue();
        assertThat(thirdSent.succeeded()).isTrue();
        assertThat(sequencer.waiting()).isZero();
    }

    @Test
    void aRefusedMessageDoesNotHoldUpTheLaterOnes() {
        PublishSequencer.Slot refused = sequencer.reserve();
        PublishSequencer.Slot next = sequencer.reserve();
        send(next, "next");
        assertThat(sent).isEmpty();

        refused.skip();
        assertThat(sent).containsExactly("next");
        // skipping after the fact changes nothing
        refused.skip();
        next.skip();
        assertThat(sent).containsExactly("next");
    }

    @Test
    void sendsDoNotWaitForEachOthersAcknowledgement() {
        Promise<Void> kafkaAck = Promise.promise();
        PublishSequencer.Slot first = sequencer.reserve();
        PublishSequencer.Slot second = sequencer.reserve();
        Future<Void> firstOutcome = first.send(() -> {
            sent.add("first");
            return kafkaAck.future();
        });
        send(second, "second");
        assertThat(sent).containsExactly("first", "second");
        assertThat(firstOutcome.isComplete()).isFalse();

        kafkaAck.fail("broker gone");
        assertThat(firstOutcome.failed()).isTrue();
        assertThat(firstOutcome.cause()).hasMessage("broker gone");
    }

    @Test
    void aSendThatThrowsFailsOnlyItsOwnMessage() {
        PublishSequencer.Slot broken = sequencer.reserve();
        PublishSequencer.Slot fine = sequencer.reserve();
        Future<Void> brokenOutcome = broken.send(() -> {
            throw new IllegalStateException("producer closed");
        });
        Future<Void> fineOutcome = send(fine, "fine");
        assertThat(brokenOutcome.failed()).isTrue();
        assertThat(fineOutcome.succeeded()).isTrue();
        assertThatThrownBy(() -> send(fine, "again")).isInstanceOf(IllegalStateException.class);
    }
}
