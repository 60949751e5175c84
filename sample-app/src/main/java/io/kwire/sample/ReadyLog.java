package io.kwire.sample;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * Says where to point a browser once the app is ready, with the port actually bound ({@code server.port=0} picks a
 * free one). {@code scripts/run-sample.sh} and the jar test wait for this line.
 */
@Component
class ReadyLog implements ApplicationListener<ApplicationReadyEvent> {

    static final String MESSAGE = "kwire sample app is ready: open http://localhost:{}/";

    private static final Logger log = LoggerFactory.getLogger(ReadyLog.class);

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        if (event.getApplicationContext() instanceof WebServerApplicationContext web && web.getWebServer() != null) {
            log.info(MESSAGE, web.getWebServer().getPort());
        }
    }
}
