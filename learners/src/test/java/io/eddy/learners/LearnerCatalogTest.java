package io.eddy.learners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.learners.ftrl.FtrlType;
import org.junit.jupiter.api.Test;

class LearnerCatalogTest {

    @Test
    void shouldFindFtrlByName() {
        assertInstanceOf(FtrlType.class, LearnerCatalog.find("ftrl"));
        assertTrue(LearnerCatalog.names().contains("ftrl"));
    }

    @Test
    void shouldAnswerNullForUnknownNames() {
        assertNull(LearnerCatalog.find("no-such-learner"));
        assertNull(LearnerCatalog.find(null));
    }

    @Test
    void shouldListEveryNameItCanFind() {
        for (final String name : LearnerCatalog.names()) {
            assertEquals(name, LearnerCatalog.find(name).name());
        }
        assertThrows(UnsupportedOperationException.class, () -> LearnerCatalog.names().add("x"));
    }
}
