package io.eddy.connectors.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.eddy.connectors.sequence.SequenceEvent;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The real data, from {@link FashionMnist#directory()}: the project's set-up installs the Debian
 * package, so a missing directory fails here, with the message that says how to install it.
 */
class FashionMnistInstalledTest {
    @Test
    void shouldHoldSixtyThousandTrainingAndTenThousandTestImagesBalancedOverTheClasses() throws IOException {
        final FashionMnist train = FashionMnist.load(FashionMnist.TRAIN);
        assertEquals(FashionMnist.TRAIN_SIZE, train.size());
        final int[] sixThousand = new int[FashionMnist.CLASSES];
        Arrays.fill(sixThousand, 6_000);
        assertArrayEquals(sixThousand, train.classCounts(), "labels in 0..9, 6,000 of each");

        final FashionMnist test = FashionMnist.load(FashionMnist.TEST);
        assertEquals(FashionMnist.TEST_SIZE, test.size());
        final int[] thousand = new int[FashionMnist.CLASSES];
        Arrays.fill(thousand, 1_000);
        assertArrayEquals(thousand, test.classCounts(), "labels in 0..9, 1,000 of each");

        final FashionMnistStream stream = FashionMnistStream.of(List.of(train, test), Long.MAX_VALUE, 1);
        assertEquals(70_000, stream.totalEvents());
        assertEquals("train+test", stream.split());
        final SequenceEvent first = stream.next();
        assertEquals("train-0", first.key());
        assertEquals(train.label(0), first.label());
        assertArrayEquals(train.image(0), first.x());
    }
}
