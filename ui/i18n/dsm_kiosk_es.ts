<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es_ES">
<context>
    <name>DeliveryScreen</name>
    <message>
        <source>Your documents are kept on this device and sent as soon as the server answers. You may leave now.</source>
        <translation>Sus documentos se guardan en este equipo y se envían en cuanto el servidor responda. Ya puede irse.</translation>
    </message>
    <message>
        <source>The scanned pages are kept: resend or delete the job in My jobs.</source>
        <translation>Las páginas escaneadas se conservan: reenvíe o elimine el trabajo en Mis trabajos.</translation>
    </message>
    <message>
        <source>You can leave now: your documents are sent even after you sign out.</source>
        <translation>Ya puede irse: sus documentos se envían aunque cierre la sesión.</translation>
    </message>
    <message>
        <source>Scan something else</source>
        <translation>Escanear otra cosa</translation>
    </message>
    <message>
        <source>My jobs</source>
        <translation>Mis trabajos</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Cerrar sesión</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>Something went wrong. Please try again.</source>
        <translation>Algo ha fallado. Inténtelo de nuevo.</translation>
    </message>
    <message>
        <source>This scanner is not set up correctly. Please call your administrator.</source>
        <translation>Este escáner no está bien configurado. Llame a su administrador.</translation>
    </message>
    <message>
        <source>Signing in is not possible right now. Please try again in a few minutes.</source>
        <translation>Ahora no es posible iniciar sesión. Inténtelo de nuevo en unos minutos.</translation>
    </message>
    <message>
        <source>Signing in is not set up correctly. Please call your administrator.</source>
        <translation>El inicio de sesión no está bien configurado. Llame a su administrador.</translation>
    </message>
    <message>
        <source>This device&apos;s clock is wrong, so signing in is refused. Please call your administrator.</source>
        <translation>El reloj de este dispositivo no es correcto, por eso se rechaza el inicio de sesión. Llame a su administrador.</translation>
    </message>
    <message>
        <source>Your account is disabled, expired or locked. Please call your administrator.</source>
        <translation>Su cuenta está desactivada, caducada o bloqueada. Llame a su administrador.</translation>
    </message>
    <message>
        <source>Sending stopped for a moment. Your documents are kept and sent again by themselves.</source>
        <translation>El envío se ha detenido un momento. Sus documentos se conservan y se vuelven a enviar solos.</translation>
    </message>
    <message>
        <source>Wrong user name or password.</source>
        <translation>Usuario o contraseña incorrectos.</translation>
    </message>
    <message>
        <source>Your account is locked. Please call your administrator.</source>
        <translation>Su cuenta está bloqueada. Llame a su administrador.</translation>
    </message>
    <message>
        <source>Your account is disabled. Please call your administrator.</source>
        <translation>Su cuenta está desactivada. Llame a su administrador.</translation>
    </message>
    <message>
        <source>Your account has expired. Please call your administrator.</source>
        <translation>Su cuenta ha caducado. Llame a su administrador.</translation>
    </message>
    <message>
        <source>Your password has expired or must be changed. Please change it at a computer first.</source>
        <translation>Su contraseña ha caducado o debe cambiarse. Cámbiela primero en un ordenador.</translation>
    </message>
    <message>
        <source>Your account may not sign in here or at this time.</source>
        <translation>Su cuenta no puede iniciar sesión aquí o a esta hora.</translation>
    </message>
    <message>
        <source>Your account could not be read. Please call your administrator.</source>
        <translation>No se ha podido leer su cuenta. Llame a su administrador.</translation>
    </message>
    <message>
        <source>Your account cannot receive scans. Please call your administrator.</source>
        <translation>Su cuenta no puede recibir escaneos. Llame a su administrador.</translation>
    </message>
    <message>
        <source>Your scan processes could not be read. Please try again.</source>
        <translation>No se han podido leer sus procesos de escaneo. Inténtelo de nuevo.</translation>
    </message>
    <message>
        <source>A badge alone cannot sign you in here. Please enter your password.</source>
        <translation>Aquí la tarjeta sola no basta para iniciar sesión. Introduzca su contraseña.</translation>
    </message>
    <message>
        <source>This badge is not recognised. Please sign in with your user name.</source>
        <translation>Esta tarjeta no se reconoce. Inicie sesión con su nombre de usuario.</translation>
    </message>
    <message>
        <source>Please sign in first.</source>
        <translation>Primero inicie sesión.</translation>
    </message>
    <message>
        <source>The scanner reported a problem. Please try again.</source>
        <translation>El escáner indica un problema. Inténtelo de nuevo.</translation>
    </message>
    <message>
        <source>The feeder is empty. Put your pages in and try again.</source>
        <translation>El alimentador está vacío. Coloque sus páginas e inténtelo de nuevo.</translation>
    </message>
    <message>
        <source>Paper jam. Open the scanner, take out the paper and try again.</source>
        <translation>Atasco de papel. Abra el escáner, retire el papel e inténtelo de nuevo.</translation>
    </message>
    <message>
        <source>The scanner&apos;s cover is open. Close it and try again.</source>
        <translation>La tapa del escáner está abierta. Ciérrela e inténtelo de nuevo.</translation>
    </message>
    <message>
        <source>The scanner is busy. Wait a moment and try again.</source>
        <translation>El escáner está ocupado. Espere un momento e inténtelo de nuevo.</translation>
    </message>
    <message>
        <source>The scanner stopped answering. Please try again.</source>
        <translation>El escáner ha dejado de responder. Inténtelo de nuevo.</translation>
    </message>
    <message>
        <source>This panel may not use the scanner. Please call your administrator.</source>
        <translation>Este panel no tiene acceso al escáner. Llame a su administrador.</translation>
    </message>
    <message>
        <source>The scanner ran out of memory. Try a lower resolution or fewer pages.</source>
        <translation>El escáner se ha quedado sin memoria. Elija una resolución más baja o menos páginas.</translation>
    </message>
    <message>
        <source>The scanner is not connected. Check its cable and power.</source>
        <translation>El escáner no está conectado. Compruebe el cable y la alimentación.</translation>
    </message>
    <message>
        <source>The scan was cancelled.</source>
        <translation>El escaneo se ha cancelado.</translation>
    </message>
    <message>
        <source>This scanner cannot scan the way this scan process requires. Please tell your administrator.</source>
        <translation>Este escáner no puede escanear como exige este proceso. Avise a su administrador.</translation>
    </message>
    <message>
        <source>This scan process asks for a file type this panel cannot make. Please tell your administrator.</source>
        <translation>Este proceso pide un tipo de archivo que este panel no puede generar. Avise a su administrador.</translation>
    </message>
    <message>
        <source>The scan server cannot be reached. Your documents are kept and sent when it answers.</source>
        <translation>No se puede conectar con el servidor de escaneo. Sus documentos se guardan y se envían en cuanto responda.</translation>
    </message>
    <message>
        <source>This panel cannot do that with the job right now. Please try again later.</source>
        <translation>Ahora no es posible hacer eso con este trabajo. Inténtelo más tarde.</translation>
    </message>
    <message>
        <source>A scan process is not valid. Please tell your administrator.</source>
        <translation>Un proceso de escaneo no es válido. Avise a su administrador.</translation>
    </message>
    <message>
        <source>This scan process does not let you change that setting.</source>
        <translation>Este proceso no permite cambiar ese ajuste.</translation>
    </message>
    <message>
        <source>The job did not finish.</source>
        <translation>El trabajo no ha terminado.</translation>
    </message>
</context>
<context>
    <name>JobState</name>
    <message>
        <source>Scanning</source>
        <translation>Escaneando</translation>
    </message>
    <message>
        <source>Waiting to send</source>
        <translation>Esperando para enviar</translation>
    </message>
    <message>
        <source>Sending %1 of %2</source>
        <translation>Enviando %1 de %2</translation>
    </message>
    <message>
        <source>Waiting for the scan server: will retry</source>
        <extracomment>Job states (kiosk.jobs.spool) that end a job, and which of them is a success.</extracomment>
        <translation>Esperando al servidor de escaneo: se reintentará</translation>
    </message>
    <message>
        <source>Processing on the scan server</source>
        <translation>Procesando en el servidor de escaneo</translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation>Entregado</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Error</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Cancelado</translation>
    </message>
</context>
<context>
    <name>JobsScreen</name>
    <message>
        <source>My jobs</source>
        <translation>Mis trabajos</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Atrás</translation>
    </message>
    <message>
        <source>Resend</source>
        <translation>Reenviar</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Eliminar</translation>
    </message>
    <message>
        <source>Delete the job %1? Its scanned pages are gone for good.</source>
        <translation>¿Eliminar el trabajo %1? Las páginas escaneadas se perderán para siempre.</translation>
    </message>
    <message>
        <source>Keep it</source>
        <translation>Conservarlo</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Cargando…</translation>
    </message>
    <message>
        <source>You have no recent jobs.</source>
        <translation>No tiene trabajos recientes.</translation>
    </message>
    <message>
        <source>Touch a failed or waiting job to resend or delete it.</source>
        <translation>Toque un trabajo fallido o en espera para reenviarlo o eliminarlo.</translation>
    </message>
    <message>
        <source>1 page</source>
        <translation>1 página</translation>
    </message>
    <message>
        <source>%1 pages</source>
        <translation>%1 páginas</translation>
    </message>
</context>
<context>
    <name>NotConfiguredScreen</name>
    <message>
        <source>This scanner is not configured yet</source>
        <extracomment>The exit status the service restarts the panel on (same as the service screen&apos;s restart).</extracomment>
        <translation>Este escáner aún no está configurado</translation>
    </message>
    <message>
        <source>Scanning is not available. Please ask your administrator to set it up.</source>
        <translation>No se puede escanear todavía. Pida a su administrador que lo configure.</translation>
    </message>
    <message>
        <source>Administrator: edit {path}, then run `dsm-kiosk doctor`.</source>
        <translation>Administrador: edite {path} y después ejecute `dsm-kiosk doctor`.</translation>
    </message>
</context>
<context>
    <name>PanelWindow</name>
    <message>
        <source>Signing out in %1 s. Touch the screen to stay.</source>
        <translation>Cierre de sesión en %1 s. Toque la pantalla para continuar.</translation>
    </message>
    <message>
        <source>Clearing the screen in %1 s. Touch the screen to keep it.</source>
        <translation>La pantalla se borrará en %1 s. Toque la pantalla para continuar.</translation>
    </message>
    <message>
        <source>Cancel this scan? The pages scanned so far are discarded.</source>
        <translation>¿Cancelar este escaneo? Se descartarán las páginas escaneadas hasta ahora.</translation>
    </message>
    <message>
        <source>Cancel the scan</source>
        <translation>Cancelar el escaneo</translation>
    </message>
    <message>
        <source>Keep scanning</source>
        <translation>Seguir escaneando</translation>
    </message>
    <message>
        <source>The scan was cancelled. Nothing was sent.</source>
        <translation>El escaneo se ha cancelado. No se ha enviado nada.</translation>
    </message>
    <message>
        <source>Delivered: %1</source>
        <translation>Entregado: %1</translation>
    </message>
    <message>
        <source>Delivery failed: %1. See My jobs.</source>
        <translation>Error de entrega: %1. Vea Mis trabajos.</translation>
    </message>
    <message>
        <source>Restart the panel now? Anyone using it is signed out.</source>
        <translation>¿Reiniciar el panel ahora? Quien lo esté usando cerrará sesión.</translation>
    </message>
    <message>
        <source>Restart</source>
        <translation>Reiniciar</translation>
    </message>
    <message>
        <source>Stay</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Leave kiosk mode? The panel closes until it is started again.</source>
        <translation>¿Salir del modo quiosco? El panel se cerrará hasta que se vuelva a iniciar.</translation>
    </message>
    <message>
        <source>Leave kiosk mode</source>
        <translation>Salir del modo quiosco</translation>
    </message>
</context>
<context>
    <name>PrepareScreen</name>
    <message>
        <source>Put the page face down on the glass.</source>
        <extracomment>What the scanner cannot do of what the process asks (and does instead).</extracomment>
        <translation>Coloque la página boca abajo sobre el cristal.</translation>
    </message>
    <message>
        <source>Put the pages face up in the feeder.</source>
        <translation>Coloque las páginas boca arriba en el alimentador.</translation>
    </message>
    <message>
        <source>The feeder has paper.</source>
        <translation>El alimentador tiene papel.</translation>
    </message>
    <message>
        <source>The feeder is empty.</source>
        <translation>El alimentador está vacío.</translation>
    </message>
    <message>
        <source>Scanned one-sided: this scanner has no two-sided feeder.</source>
        <translation>Escaneo a una cara: este escáner no tiene alimentador a doble cara.</translation>
    </message>
    <message>
        <source>This scanner has no %1: it scans from what it has.</source>
        <translation>Este escáner no tiene %1: escanea con lo que tiene.</translation>
    </message>
    <message>
        <source>This scanner cannot scan in %1: it uses the nearest colour setting.</source>
        <translation>Este escáner no puede escanear en %1: usa el ajuste de color más parecido.</translation>
    </message>
    <message>
        <source>This scanner cannot scan at %1: it uses the nearest resolution.</source>
        <translation>Este escáner no puede escanear a %1: usa la resolución más cercana.</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Atrás</translation>
    </message>
    <message>
        <source>Scan</source>
        <translation>Escanear</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Iniciando…</translation>
    </message>
    <message>
        <source>Paper from</source>
        <translation>Origen del papel</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>Color</translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation>Resolución</translation>
    </message>
    <message>
        <source>File type</source>
        <translation>Tipo de archivo</translation>
    </message>
    <message>
        <source>Add e-mail recipient</source>
        <translation>Añadir destinatario</translation>
    </message>
    <message>
        <source>Also to: %1</source>
        <translation>También a: %1</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Listo</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Añadir</translation>
    </message>
    <message>
        <source>name@example.com</source>
        <translation>nombre@example.com</translation>
    </message>
    <message>
        <source>E-mail address</source>
        <translation>Dirección de correo</translation>
    </message>
    <message>
        <source>That is not an e-mail address. Check it and try again.</source>
        <translation>Eso no es una dirección de correo. Revísela e inténtelo de nuevo.</translation>
    </message>
    <message>
        <source>Added: %1</source>
        <translation>Añadido: %1</translation>
    </message>
    <message>
        <source>Type an address and touch Add.</source>
        <translation>Escriba una dirección y toque Añadir.</translation>
    </message>
</context>
<context>
    <name>ProblemScreen</name>
    <message>
        <source>Paper jam</source>
        <extracomment>The problem kinds, each with its own title and advice.</extracomment>
        <translation>Atasco de papel</translation>
    </message>
    <message>
        <source>The feeder is empty</source>
        <translation>El alimentador está vacío</translation>
    </message>
    <message>
        <source>The cover is open</source>
        <translation>La tapa está abierta</translation>
    </message>
    <message>
        <source>The scanner is busy</source>
        <translation>El escáner está ocupado</translation>
    </message>
    <message>
        <source>The scanner is not available</source>
        <translation>El escáner no está disponible</translation>
    </message>
    <message>
        <source>The scan server cannot be reached</source>
        <translation>No se puede conectar con el servidor de escaneo</translation>
    </message>
    <message>
        <source>Signing in is not possible right now</source>
        <translation>Ahora no es posible iniciar sesión</translation>
    </message>
    <message>
        <source>Something went wrong</source>
        <translation>Algo salió mal</translation>
    </message>
    <message>
        <source>Open the scanner, take out the jammed paper and close it again. Put the pages that were not scanned back in, then touch Try again. Pages already scanned are kept.</source>
        <translation>Abra el escáner, retire el papel atascado y ciérrelo. Vuelva a colocar las páginas no escaneadas y toque Reintentar. Las páginas ya escaneadas se conservan.</translation>
    </message>
    <message>
        <source>Put the pages face up in the feeder, then touch Try again.</source>
        <translation>Coloque las páginas boca arriba en el alimentador y toque Reintentar.</translation>
    </message>
    <message>
        <source>Close the scanner&apos;s cover, then touch Try again.</source>
        <translation>Cierre la tapa del escáner y toque Reintentar.</translation>
    </message>
    <message>
        <source>The scanner is working on something else. Wait a moment, then touch Try again.</source>
        <translation>El escáner está ocupado. Espere un momento y toque Reintentar.</translation>
    </message>
    <message>
        <source>Check that the scanner is switched on and connected. If this goes on, call your administrator.</source>
        <translation>Compruebe que el escáner está encendido y conectado. Si continúa, llame a su administrador.</translation>
    </message>
    <message>
        <source>Your documents are kept on this device and sent as soon as the server answers. You may leave now.</source>
        <translation>Sus documentos se guardan en este equipo y se envían en cuanto el servidor responda. Ya puede irse.</translation>
    </message>
    <message>
        <source>Try again in a few minutes. If this goes on, call your administrator.</source>
        <translation>Inténtelo de nuevo en unos minutos. Si continúa, llame a su administrador.</translation>
    </message>
    <message>
        <source>Try again. If this goes on, call your administrator.</source>
        <translation>Inténtelo de nuevo. Si continúa, llame a su administrador.</translation>
    </message>
    <message>
        <source>Go back and try again. If this goes on, call your administrator.</source>
        <translation>Vuelva atrás e inténtelo de nuevo. Si continúa, llame a su administrador.</translation>
    </message>
    <message>
        <source>The scanner is working on something else. Wait a moment, then go back.</source>
        <translation>El escáner está ocupado con otra cosa. Espere un momento y vuelva atrás.</translation>
    </message>
    <message>
        <source>Open the scanner, take out the jammed paper and close it again. Pages already scanned are kept.</source>
        <translation>Abra el escáner, retire el papel atascado y vuelva a cerrarlo. Las páginas ya escaneadas se conservan.</translation>
    </message>
    <message>
        <source>Put the pages face up in the feeder.</source>
        <translation>Coloque las páginas boca arriba en el alimentador.</translation>
    </message>
    <message>
        <source>Close the scanner&apos;s cover.</source>
        <translation>Cierre la tapa del escáner.</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Reintentar</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Cerrar sesión</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Atrás</translation>
    </message>
</context>
<context>
    <name>ProcessesScreen</name>
    <message>
        <source>Hello, %1</source>
        <translation>Hola, %1</translation>
    </message>
    <message>
        <source>Scan processes</source>
        <translation>Procesos de escaneo</translation>
    </message>
    <message>
        <source>My jobs</source>
        <translation>Mis trabajos</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Cerrar sesión</translation>
    </message>
    <message>
        <source>Loading your scan processes…</source>
        <translation>Cargando sus procesos de escaneo…</translation>
    </message>
    <message>
        <source>You have no scan processes yet. Ask your administrator to give you one in Scan Management, then sign in again.</source>
        <translation>Aún no tiene procesos de escaneo. Pida uno a su administrador en Administración de digitalización y vuelva a iniciar sesión.</translation>
    </message>
    <message>
        <source>Scan processes that could not be read: %1. Please tell your administrator.</source>
        <translation>Procesos de escaneo que no se pudieron leer: %1. Avise a su administrador.</translation>
    </message>
    <message>
        <source>Choose what to scan.</source>
        <translation>Elija qué desea escanear.</translation>
    </message>
</context>
<context>
    <name>ScanningScreen</name>
    <message>
        <source>Page %1</source>
        <translation>Página %1</translation>
    </message>
    <message>
        <source>Scanning: %1</source>
        <translation>Escaneando: %1</translation>
    </message>
    <message>
        <source>%1 pages</source>
        <translation>%1 páginas</translation>
    </message>
    <message>
        <source>1 page</source>
        <translation>1 página</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>Deteniendo…</translation>
    </message>
    <message>
        <source>The pages appear here as they are scanned.</source>
        <translation>Las páginas aparecen aquí a medida que se escanean.</translation>
    </message>
    <message>
        <source>Put the next page on the glass and touch Scan more pages, or touch Finish to send.</source>
        <translation>Coloque la página siguiente en el cristal y toque Escanear más páginas, o toque Finalizar para enviar.</translation>
    </message>
    <message>
        <source>Load more paper and touch Scan more pages, or touch Finish to send.</source>
        <translation>Cargue más papel y toque Escanear más páginas, o toque Finalizar para enviar.</translation>
    </message>
    <message>
        <source>Scanned pages</source>
        <translation>Páginas escaneadas</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Scan more pages</source>
        <translation>Escanear más páginas</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>Finalizar</translation>
    </message>
    <message>
        <source>Scanning…</source>
        <translation>Escaneando…</translation>
    </message>
</context>
<context>
    <name>ServiceScreen</name>
    <message>
        <source>Service: administrator PIN</source>
        <translation>Servicio: PIN de administrador</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Atrás</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <source>Wrong PIN too often. Try again in %1 s.</source>
        <translation>Demasiados PIN incorrectos. Inténtelo de nuevo en %1 s.</translation>
    </message>
    <message>
        <source>Wrong PIN.</source>
        <translation>PIN incorrecto.</translation>
    </message>
    <message>
        <source>Enter the PIN on the pad.</source>
        <translation>Introduzca el PIN en el teclado.</translation>
    </message>
    <message>
        <source>Backspace</source>
        <translation>Retroceso</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>Aceptar</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>Servicio</translation>
    </message>
    <message>
        <source>Check again</source>
        <translation>Comprobar de nuevo</translation>
    </message>
    <message>
        <source>Restart panel</source>
        <translation>Reiniciar el panel</translation>
    </message>
    <message>
        <source>Leave kiosk mode</source>
        <translation>Salir del modo quiosco</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Comprobando…</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Versión</translation>
    </message>
    <message>
        <source>Scanner</source>
        <translation>Escáner</translation>
    </message>
    <message>
        <source>Directory</source>
        <translation>Directorio</translation>
    </message>
    <message>
        <source>Scan server</source>
        <translation>Servidor de escaneo</translation>
    </message>
    <message>
        <source>Delivery</source>
        <translation>Entrega</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>Cola</translation>
    </message>
    <message>
        <source>Directory CA</source>
        <translation>Autoridad del directorio</translation>
    </message>
    <message>
        <source>Scan server CA</source>
        <translation>Autoridad del servidor de escaneo</translation>
    </message>
    <message>
        <source>Client certificate</source>
        <translation>Certificado de cliente</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Error</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>Registro</translation>
    </message>
    <message>
        <source>NOT reachable</source>
        <translation>NO accesible</translation>
    </message>
    <message>
        <source>reachable</source>
        <translation>accesible</translation>
    </message>
    <message>
        <source>present</source>
        <translation>presente</translation>
    </message>
    <message>
        <source>MISSING</source>
        <translation>FALTA</translation>
    </message>
    <message>
        <source>local file</source>
        <translation>archivo local</translation>
    </message>
    <message>
        <source>this panel</source>
        <translation>este panel</translation>
    </message>
    <message>
        <source>another process (run-worker)</source>
        <translation>otro proceso (run-worker)</translation>
    </message>
    <message>
        <source>problem</source>
        <translation>problema</translation>
    </message>
    <message>
        <source>EXPIRED</source>
        <translation>CADUCADO</translation>
    </message>
    <message>
        <source>%1 job(s) waiting, %2 MB free of %3 MB</source>
        <translation>%1 trabajo(s) en espera, %2 MB libres de %3 MB</translation>
    </message>
    <message>
        <source>expires %1 (%2 days left)</source>
        <translation>caduca el %1 (quedan %2 días)</translation>
    </message>
</context>
<context>
    <name>SignInScreen</name>
    <message>
        <source>Sign in to scan</source>
        <extracomment>Each language&apos;s name in itself: a user who cannot read the current one still finds theirs.</extracomment>
        <translation>Inicie sesión para escanear</translation>
    </message>
    <message>
        <source>Not you?</source>
        <translation>¿No es usted?</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>Servicio</translation>
    </message>
    <message>
        <source>Service (administrator)</source>
        <translation>Servicio (administrador)</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Iniciar sesión</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Usuario</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Contraseña</translation>
    </message>
    <message>
        <source>Badge read for %1: enter your password.</source>
        <translation>Tarjeta leída para %1: introduzca su contraseña.</translation>
    </message>
    <message>
        <source>Touch a field to type, or hold your badge to the reader.</source>
        <translation>Toque un campo para escribir o acerque su tarjeta al lector.</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>Iniciando sesión…</translation>
    </message>
    <message>
        <source>Enter your user name and your password.</source>
        <translation>Introduzca su usuario y su contraseña.</translation>
    </message>
</context>
<context>
    <name>Texts</name>
    <message>
        <source>Glass</source>
        <translation>Cristal</translation>
    </message>
    <message>
        <source>Feeder</source>
        <translation>Alimentador</translation>
    </message>
    <message>
        <source>Feeder, both sides</source>
        <translation>Alimentador, doble cara</translation>
    </message>
    <message>
        <source>Film</source>
        <translation>Película</translation>
    </message>
    <message>
        <source>Black and white</source>
        <translation>Blanco y negro</translation>
    </message>
    <message>
        <source>Grey, 4-bit</source>
        <translation>Escala de grises, 4 bits</translation>
    </message>
    <message>
        <source>Grey</source>
        <translation>Escala de grises</translation>
    </message>
    <message>
        <source>Grey, 16-bit</source>
        <translation>Escala de grises, 16 bits</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>Color</translation>
    </message>
    <message>
        <source>Colour, 48-bit</source>
        <translation>Color, 48 bits</translation>
    </message>
    <message>
        <source>Colour with transparency</source>
        <translation>Color con transparencia</translation>
    </message>
    <message>
        <source>Colour with transparency, 64-bit</source>
        <translation>Color con transparencia, 64 bits</translation>
    </message>
    <message>
        <source>%1 dpi</source>
        <translation>%1 ppp</translation>
    </message>
    <message>
        <source>TIFF per page</source>
        <translation>TIFF por página</translation>
    </message>
    <message>
        <source>TIFF per page, uncompressed</source>
        <translation>TIFF por página, sin comprimir</translation>
    </message>
    <message>
        <source>TIFF, uncompressed</source>
        <translation>TIFF, sin comprimir</translation>
    </message>
    <message>
        <source>your e-mail</source>
        <translation>su correo</translation>
    </message>
    <message>
        <source>your SharePoint site</source>
        <translation>su sitio de SharePoint</translation>
    </message>
</context>
<context>
    <name>TouchKeyboard</name>
    <message>
        <source>Backspace</source>
        <extracomment>Letter layouts by language; special keys are named in brackets. Held for HOLD_MS, a key offers these variants in a row above it (as phone keyboards do). Width in half keys of the special keys; every other key is 2.</extracomment>
        <translation>Retroceso</translation>
    </message>
    <message>
        <source>Enter</source>
        <translation>Intro</translation>
    </message>
    <message>
        <source>Shift</source>
        <translation>Mayúsculas</translation>
    </message>
    <message>
        <source>Space</source>
        <translation>Espacio</translation>
    </message>
    <message>
        <source>Numbers and symbols</source>
        <translation>Números y símbolos</translation>
    </message>
    <message>
        <source>Letters</source>
        <translation>Letras</translation>
    </message>
    <message>
        <source>Accented letters</source>
        <translation>Letras con tilde</translation>
    </message>
    <message>
        <source>Keyboard layout %1: touch for the next</source>
        <translation>Distribución del teclado %1: toque para la siguiente</translation>
    </message>
    <message>
        <source>Key %1</source>
        <translation>Tecla %1</translation>
    </message>
</context>
<context>
    <name>Words</name>
    <message>
        <source>The scan server does not know this scan process. Please tell your administrator.</source>
        <extracomment>Looks like a protocol or error code rather than words: CamelCase, or a dotted/underscored name.</extracomment>
        <translation>El servidor de escaneo no conoce este proceso. Avise a su administrador.</translation>
    </message>
    <message>
        <source>The scan server refused the job. Resend it later from My jobs; if it fails again, tell your administrator.</source>
        <translation>El servidor de escaneo ha rechazado el trabajo. Reenvíelo más tarde desde Mis trabajos; si vuelve a fallar, avise a su administrador.</translation>
    </message>
    <message>
        <source>The scanned pages could not be sent to the scan server. Resend the job from My jobs.</source>
        <translation>No se han podido enviar las páginas al servidor de escaneo. Reenvíe el trabajo desde Mis trabajos.</translation>
    </message>
    <message>
        <source>The job was cancelled on the scan server.</source>
        <translation>El trabajo se ha cancelado en el servidor de escaneo.</translation>
    </message>
    <message>
        <source>The scan server could not deliver your documents. Resend the job from My jobs, or tell your administrator.</source>
        <translation>El servidor de escaneo no ha podido entregar sus documentos. Reenvíe el trabajo desde Mis trabajos o avise a su administrador.</translation>
    </message>
    <message>
        <source>Some destinations did not receive your documents.</source>
        <translation>Algunos destinos no han recibido sus documentos.</translation>
    </message>
    <message>
        <source>Your documents were delivered, but the scan server reported a warning.</source>
        <translation>Sus documentos se han entregado, pero el servidor indica una advertencia.</translation>
    </message>
    <message>
        <source>The scan server stopped waiting for the pages. Resend the job from My jobs.</source>
        <translation>El servidor de escaneo dejó de esperar las páginas. Reenvíe el trabajo desde Mis trabajos.</translation>
    </message>
    <message>
        <source>The scan was interrupted. The pages scanned before that are delivered.</source>
        <translation>El escaneo se ha interrumpido. Las páginas escaneadas antes se entregan.</translation>
    </message>
    <message>
        <source>The scan server lost the job. It is being sent again; you need not do anything.</source>
        <translation>El servidor de escaneo ha perdido el trabajo. Se está enviando de nuevo; no tiene que hacer nada.</translation>
    </message>
    <message>
        <source>Shared folder</source>
        <translation>Carpeta compartida</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>Correo</translation>
    </message>
    <message>
        <source>A destination</source>
        <translation>Un destino</translation>
    </message>
    <message>
        <source>%1: the scan process has settings the scan server cannot use. Please tell your administrator.</source>
        <translation>%1: el proceso tiene ajustes que el servidor no puede usar. Avise a su administrador.</translation>
    </message>
    <message>
        <source>%1: there is no space left. Please tell your administrator.</source>
        <translation>%1: no queda espacio. Avise a su administrador.</translation>
    </message>
    <message>
        <source>%1: the scan server was overloaded. Resend the job later from My jobs.</source>
        <translation>%1: el servidor de escaneo estaba sobrecargado. Reenvíe el trabajo más tarde desde Mis trabajos.</translation>
    </message>
    <message>
        <source>%1: the scan server may not save there. Please tell your administrator.</source>
        <translation>%1: el servidor de escaneo no tiene permiso para guardar ahí. Avise a su administrador.</translation>
    </message>
    <message>
        <source>%1: the mail server is not set up correctly. Please tell your administrator.</source>
        <translation>%1: el servidor de correo no está bien configurado. Avise a su administrador.</translation>
    </message>
    <message>
        <source>%1: the message could not be sent. Resend the job later from My jobs.</source>
        <translation>%1: no se ha podido enviar el mensaje. Reenvíe el trabajo más tarde desde Mis trabajos.</translation>
    </message>
    <message>
        <source>%1: delivery was cancelled on the scan server.</source>
        <translation>%1: la entrega se ha cancelado en el servidor de escaneo.</translation>
    </message>
    <message>
        <source>%1: delivered with a warning.</source>
        <translation>%1: entregado con una advertencia.</translation>
    </message>
    <message>
        <source>%1: delivery failed. Resend the job from My jobs, or tell your administrator.</source>
        <translation>%1: la entrega ha fallado. Reenvíe el trabajo desde Mis trabajos o avise a su administrador.</translation>
    </message>
    <message>
        <source>The scan server reported a problem. Resend the job from My jobs, or tell your administrator.</source>
        <translation>El servidor de escaneo indica un problema. Reenvíe el trabajo desde Mis trabajos o avise a su administrador.</translation>
    </message>
</context>
<context>
    <name>screen</name>
    <message>
        <source>Signing in failed.</source>
        <extracomment>Exit status asking the service manager to start the panel again (systemd: RestartForceExitStatus). How long the delivered/failed cue stays on screen. Scanner error codes (kiosk.scanner) → problem screen; others show their own message. Directory error codes (kiosk.directory.errors) that mean nobody can sign in right now. Emitted after every change of screen, with the screen&apos;s name. The flow (kiosk.panel_flow): the screens present it, the window drives it.</extracomment>
        <translation>No se pudo iniciar sesión.</translation>
    </message>
</context>
</TS>
